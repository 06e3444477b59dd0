import { randomUUID } from "node:crypto";
import type { AuditActor, AuditEntry, JsonValue } from "../core/audit-record.js";
import { displayPrefixOf, generateKeySecret, hashKeySecret } from "../core/key-secret.js";
import type { KeyStore, VirtualKeyRecord } from "../core/ports/key-store.js";

export interface CreateKeyInput {
  readonly name: string;
  readonly allowedModels?: readonly string[];
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface CreatedKey {
  readonly record: VirtualKeyRecord;
  /** The only time the secret exists outside the caller's hands: show it once, never store it. */
  readonly secret: string;
}

/** Where key changes are recorded, and on whose behalf this service acts. */
export interface KeyAudit {
  readonly log: { record(entry: AuditEntry): Promise<unknown> };
  readonly actor: AuditActor;
}

/** Virtual-key management for the CLI (and, later, the admin API). */
export class KeyService {
  readonly #store: KeyStore;
  readonly #audit: KeyAudit | undefined;

  constructor(store: KeyStore, audit?: KeyAudit) {
    this.#store = store;
    this.#audit = audit;
  }

  async create(input: CreateKeyInput): Promise<CreatedKey> {
    const name = input.name.trim();
    if (name === "") throw new Error("a key needs a non-empty name");
    const secret = generateKeySecret();
    const record = await this.#store.create({
      id: randomUUID(),
      name,
      keyHash: hashKeySecret(secret),
      displayPrefix: displayPrefixOf(secret),
      allowedModels: [...new Set((input.allowedModels ?? []).map((model) => model.trim()).filter(Boolean))],
      metadata: input.metadata ?? {},
      createdAt: Date.now(),
    });
    await this.#recordChange(record, {
      action: "key.create",
      target: `key:${record.id}`,
      after: auditView(record),
      occurredAt: record.createdAt,
    });
    return { record, secret };
  }

  list(): Promise<VirtualKeyRecord[]> {
    return this.#store.list();
  }

  /**
   * Records only a revocation this call made (the store keeps the first revocation time). Two revocations in the
   * same millisecond both record: the log may over-report an attempt, never miss a change.
   */
  async revoke(idOrPrefix: string): Promise<VirtualKeyRecord | undefined> {
    const atMs = Date.now();
    const revoked = await this.#store.revoke(idOrPrefix, atMs);
    if (revoked !== undefined && revoked.revokedAt === atMs) {
      await this.#recordChange(revoked, {
        action: "key.revoke",
        target: `key:${revoked.id}`,
        before: auditView({ ...revoked, revokedAt: null }),
        after: auditView(revoked),
        occurredAt: atMs,
      });
    }
    return revoked;
  }

  /** The change is already stored; a failed audit write says so rather than looking like a failed change. */
  async #recordChange(key: VirtualKeyRecord, change: Omit<AuditEntry, "actor">): Promise<void> {
    if (this.#audit === undefined) return;
    try {
      await this.#audit.log.record({ ...change, actor: this.#audit.actor });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(
        `${change.action} of key ${key.id} was applied, but its audit record failed: ${message}`,
        {
          cause: error,
        },
      );
    }
  }
}

/** What the audit log keeps of a key: never the secret, only the first characters of its hash. */
function auditView(key: VirtualKeyRecord): JsonValue {
  return {
    id: key.id,
    name: key.name,
    keyHashPrefix: key.keyHash.slice(0, 12),
    allowedModels: [...key.allowedModels],
    metadata: { ...key.metadata },
    revokedAt: key.revokedAt,
  };
}
