import { randomUUID } from "node:crypto";
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

/** Virtual-key management for the CLI (and, later, the admin API). */
export class KeyService {
  readonly #store: KeyStore;

  constructor(store: KeyStore) {
    this.#store = store;
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
    return { record, secret };
  }

  list(): Promise<VirtualKeyRecord[]> {
    return this.#store.list();
  }

  revoke(idOrPrefix: string): Promise<VirtualKeyRecord | undefined> {
    return this.#store.revoke(idOrPrefix, Date.now());
  }
}
