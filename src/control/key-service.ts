import { randomUUID } from "node:crypto";
import type { AdminRole } from "../core/admin-role.js";
import type { JsonValue } from "../core/audit-record.js";
import { GatewayError } from "../core/gateway-error.js";
import { displayPrefixOf, generateKeySecret, hashKeySecret } from "../core/key-secret.js";
import type { KeyStore, VirtualKeyChanges, VirtualKeyRecord } from "../core/ports/key-store.js";
import type { TenancyStore } from "../core/ports/tenancy-store.js";
import { adminPrincipal, canSeeTeam, type Principal, requirePermission, seesAllTeams } from "./principal.js";
import { roleCovers } from "./role-permissions.js";
import { type AuditSink, notFound, recordChange } from "./tenancy-service.js";

export interface CreateKeyInput {
  readonly name: string;
  readonly allowedModels?: readonly string[] | undefined;
  readonly allowedEndpoints?: readonly string[] | undefined;
  readonly metadata?: Readonly<Record<string, string>> | undefined;
  /** The key's project; its team follows. */
  readonly projectId?: string | null | undefined;
  /** The key's team when it has no project (a user's key in a team). */
  readonly teamId?: string | null | undefined;
  readonly userId?: string | null | undefined;
  readonly role?: AdminRole | null | undefined;
  readonly expiresAt?: number | null | undefined;
}

/**
 * `projectId` moves the key to that project (and its team); `teamId` alone makes it a team-level key of that team
 * (leaving its project); null for both makes it a key of no team (admins and operators only).
 */
export type UpdateKeyInput = VirtualKeyChanges;

export interface CreatedKey {
  readonly record: VirtualKeyRecord;
  /** The only time the secret exists outside the caller's hands: show it once, never store it. */
  readonly secret: string;
}

export interface KeyServiceOptions {
  /** Needed to give keys a team or project; without it only keys of no team can be made. */
  readonly tenancy?: TenancyStore;
  readonly audit?: AuditSink;
  /** Default: an admin acting as the local system (tests and embedded use). */
  readonly principal?: Principal;
}

/** Longest grace period a rotation may give the old secret. */
export const maxRotationGraceMs = 30 * 86_400_000;

const systemPrincipal = adminPrincipal({ kind: "system", id: "key-service", display: "key service" });

/** Virtual-key management for one principal (admin API and CLI): what it may see, grant and change. */
export class KeyService {
  readonly #store: KeyStore;
  readonly #tenancy: TenancyStore | undefined;
  readonly #audit: AuditSink | undefined;
  readonly #principal: Principal;

  constructor(store: KeyStore, options: KeyServiceOptions = {}) {
    this.#store = store;
    this.#tenancy = options.tenancy;
    this.#audit = options.audit;
    this.#principal = options.principal ?? systemPrincipal;
  }

  async create(input: CreateKeyInput): Promise<CreatedKey> {
    requirePermission(this.#principal, "keys.write");
    const name = checkedKeyName(input.name);
    const owner = await this.#owner(input.projectId ?? null, input.teamId ?? null);
    const role = input.role ?? null;
    this.#requireGrantable(role);
    const now = Date.now();
    if (input.expiresAt !== undefined && input.expiresAt !== null && input.expiresAt <= now) {
      throw invalid("expiresAt", "expiresAt must be in the future.");
    }
    const secret = generateKeySecret();
    const record = await this.#store.create({
      id: randomUUID(),
      name,
      keyHash: hashKeySecret(secret),
      displayPrefix: displayPrefixOf(secret),
      allowedModels: cleanList(input.allowedModels),
      allowedEndpoints: cleanList(input.allowedEndpoints),
      metadata: input.metadata ?? {},
      teamId: owner.teamId,
      projectId: owner.projectId,
      userId: input.userId ?? null,
      role,
      expiresAt: input.expiresAt ?? null,
      createdAt: now,
    });
    await this.#record("key.create", record, undefined, record.createdAt);
    return { record, secret };
  }

  /** Keys the principal may see, newest first. */
  async list(): Promise<VirtualKeyRecord[]> {
    requirePermission(this.#principal, "tenancy.read");
    const keys = await this.#store.list();
    return seesAllTeams(this.#principal) ? keys : keys.filter((key) => this.#visible(key));
  }

  async get(id: string): Promise<VirtualKeyRecord> {
    requirePermission(this.#principal, "tenancy.read");
    return this.#visibleKey(id);
  }

  async update(id: string, changes: UpdateKeyInput): Promise<VirtualKeyRecord> {
    requirePermission(this.#principal, "keys.write");
    const before = await this.#manageableKey(id);
    if (changes.role !== undefined) this.#requireGrantable(changes.role);
    const stored: { -readonly [K in keyof VirtualKeyChanges]: VirtualKeyChanges[K] } = { ...changes };
    if (changes.name !== undefined) stored.name = checkedKeyName(changes.name);
    if (changes.allowedModels !== undefined) stored.allowedModels = cleanList(changes.allowedModels);
    if (changes.allowedEndpoints !== undefined) stored.allowedEndpoints = cleanList(changes.allowedEndpoints);
    if (changes.projectId !== undefined || changes.teamId !== undefined) {
      const projectId = changes.projectId ?? null;
      const teamId =
        changes.teamId !== undefined ? changes.teamId : projectId === null ? before.teamId : null;
      const owner = await this.#owner(projectId, teamId);
      stored.teamId = owner.teamId;
      stored.projectId = owner.projectId;
    }
    const updated = await this.#store.update(id, stored, Date.now());
    if (updated === undefined) throw revokedOrMissing(id);
    await this.#record("key.update", updated, before);
    return updated;
  }

  /**
   * A new secret for the key; the old one keeps working for `graceMs` (0: stops at once), on every node, since
   * nodes check the grace end against their clocks per request.
   */
  async rotate(id: string, graceMs: number): Promise<CreatedKey> {
    requirePermission(this.#principal, "keys.write");
    if (!Number.isInteger(graceMs) || graceMs < 0 || graceMs > maxRotationGraceMs) {
      throw invalid("gracePeriodMs", `The grace period must be 0 to ${maxRotationGraceMs} ms.`);
    }
    const before = await this.#manageableKey(id);
    const secret = generateKeySecret();
    const now = Date.now();
    const record = await this.#store.rotate(
      id,
      {
        keyHash: hashKeySecret(secret),
        displayPrefix: displayPrefixOf(secret),
        previousKeyExpiresAt: now + graceMs,
      },
      now,
    );
    if (record === undefined) throw revokedOrMissing(id);
    await this.#record("key.rotate", record, before, now);
    return { record, secret };
  }

  /**
   * Revokes by id, or by display prefix for admins (the CLI). Records only a revocation this call made (the
   * store keeps the first revocation time). Two revocations in the same millisecond both record: the log may
   * over-report an attempt, never miss a change.
   */
  async revoke(idOrPrefix: string): Promise<VirtualKeyRecord | undefined> {
    requirePermission(this.#principal, "keys.write");
    if (this.#principal.role !== "admin") await this.#manageableKey(idOrPrefix);
    const atMs = Date.now();
    const revoked = await this.#store.revoke(idOrPrefix, atMs);
    if (revoked !== undefined && revoked.revokedAt === atMs) {
      await this.#record("key.revoke", revoked, { ...revoked, revokedAt: null }, atMs);
    }
    return revoked;
  }

  /** Where a key with this project (or, without one, this team) belongs, checked against what the principal sees. */
  async #owner(
    projectId: string | null,
    teamId: string | null,
  ): Promise<{ teamId: string | null; projectId: string | null }> {
    if (projectId !== null) {
      const project = await this.#tenancy?.getProject(projectId);
      if (project === undefined || !canSeeTeam(this.#principal, project.teamId))
        throw notFound("project", projectId);
      if (teamId !== null && teamId !== project.teamId) {
        throw invalid("teamId", `Project ${projectId} belongs to team ${project.teamId}, not ${teamId}.`);
      }
      return { teamId: project.teamId, projectId };
    }
    if (teamId !== null) {
      const team = await this.#tenancy?.getTeam(teamId);
      if (team === undefined || !canSeeTeam(this.#principal, team.id)) throw notFound("team", teamId);
      return { teamId, projectId: null };
    }
    if (!seesAllTeams(this.#principal)) {
      throw new GatewayError(
        "GW_ERR_ADMIN_FORBIDDEN",
        "A developer's keys must belong to a project or to the developer's team.",
      );
    }
    return { teamId: null, projectId: null };
  }

  #requireGrantable(role: AdminRole | null): void {
    if (!roleCovers(this.#principal.role, role)) {
      throw new GatewayError(
        "GW_ERR_ADMIN_FORBIDDEN",
        `A ${this.#principal.role} may not grant or manage the ${String(role)} role.`,
      );
    }
  }

  #visible(key: VirtualKeyRecord): boolean {
    return canSeeTeam(this.#principal, key.teamId);
  }

  async #visibleKey(id: string): Promise<VirtualKeyRecord> {
    const key = await this.#store.get(id);
    if (key === undefined || !this.#visible(key)) throw notFound("key", id);
    return key;
  }

  /** A key the principal may change: visible, and holding no role stronger than the principal's. */
  async #manageableKey(id: string): Promise<VirtualKeyRecord> {
    const key = await this.#visibleKey(id);
    this.#requireGrantable(key.role);
    return key;
  }

  async #record(
    action: string,
    after: VirtualKeyRecord,
    before: VirtualKeyRecord | undefined,
    occurredAt = after.updatedAt,
  ): Promise<void> {
    await recordChange(this.#audit, this.#principal, {
      action,
      target: `key:${after.id}`,
      ...(before === undefined ? {} : { before: auditView(before) }),
      after: auditView(after),
      occurredAt,
    });
  }
}

function checkedKeyName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === "") throw invalid("name", "a key needs a non-empty name");
  return trimmed;
}

function cleanList(values: readonly string[] | undefined): string[] {
  return [...new Set((values ?? []).map((value) => value.trim()).filter(Boolean))];
}

function invalid(param: string, message: string): GatewayError {
  return new GatewayError("GW_ERR_ADMIN_INVALID_REQUEST", message, { param });
}

function revokedOrMissing(id: string): GatewayError {
  return new GatewayError(
    "GW_ERR_ADMIN_CONFLICT",
    `Key ${id} is revoked; a revoked key never changes again.`,
  );
}

/** What the audit log keeps of a key: never the secret, only the first characters of its hash. */
function auditView(key: VirtualKeyRecord): JsonValue {
  return {
    id: key.id,
    name: key.name,
    keyHashPrefix: key.keyHash.slice(0, 12),
    allowedModels: [...key.allowedModels],
    allowedEndpoints: [...key.allowedEndpoints],
    metadata: { ...key.metadata },
    teamId: key.teamId,
    projectId: key.projectId,
    userId: key.userId,
    role: key.role,
    expiresAt: key.expiresAt,
    previousKeyExpiresAt: key.previousKeyExpiresAt,
    revokedAt: key.revokedAt,
  };
}
