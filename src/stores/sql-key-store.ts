import type { Kysely, Selectable } from "kysely";
import type { KeyStore, NewVirtualKey, VirtualKeyRecord } from "../core/ports/key-store.js";
import type { StorageDatabase, VirtualKeysTable } from "./storage-database.js";

type KeyRow = Selectable<VirtualKeysTable>;

/** `KeyStore` over the shared Kysely schema; identical for SQLite and Postgres. */
export class SqlKeyStore implements KeyStore {
  readonly #db: Kysely<StorageDatabase>;

  constructor(db: Kysely<StorageDatabase>) {
    this.#db = db;
  }

  async create(key: NewVirtualKey): Promise<VirtualKeyRecord> {
    const row = await this.#db
      .insertInto("virtual_keys")
      .values({
        id: key.id,
        name: key.name,
        key_hash: key.keyHash,
        display_prefix: key.displayPrefix,
        allowed_models: JSON.stringify(key.allowedModels),
        metadata: JSON.stringify(key.metadata),
        created_at: key.createdAt,
        updated_at: key.createdAt,
        revoked_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  async list(): Promise<VirtualKeyRecord[]> {
    const rows = await this.#db
      .selectFrom("virtual_keys")
      .selectAll()
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .execute();
    return rows.map(toRecord);
  }

  async listChangedSince(sinceMs: number): Promise<VirtualKeyRecord[]> {
    const rows = await this.#db
      .selectFrom("virtual_keys")
      .selectAll()
      .where("updated_at", ">=", sinceMs)
      .orderBy("updated_at", "asc")
      .orderBy("id", "asc")
      .execute();
    return rows.map(toRecord);
  }

  /**
   * An exact id match wins over a prefix match. Display prefixes are not unique, so a prefix that
   * names several keys throws instead of revoking an arbitrary one. An already revoked key comes back
   * unchanged (its original `revokedAt`).
   */
  async revoke(idOrPrefix: string, atMs: number): Promise<VirtualKeyRecord | undefined> {
    const matches = await this.#db
      .selectFrom("virtual_keys")
      .selectAll()
      .where((eb) => eb.or([eb("id", "=", idOrPrefix), eb("display_prefix", "=", idOrPrefix)]))
      .execute();
    const target = matches.find((row) => row.id === idOrPrefix) ?? soleMatch(matches, idOrPrefix);
    if (target === undefined) return undefined;
    if (target.revoked_at !== null) return toRecord(target);

    // The `revoked_at is null` guard keeps the first revocation's time when two callers race.
    const updated = await this.#db
      .updateTable("virtual_keys")
      .set({ revoked_at: atMs, updated_at: atMs })
      .where("id", "=", target.id)
      .where("revoked_at", "is", null)
      .returningAll()
      .executeTakeFirst();
    if (updated !== undefined) return toRecord(updated);
    const current = await this.#db
      .selectFrom("virtual_keys")
      .selectAll()
      .where("id", "=", target.id)
      .executeTakeFirst();
    return current === undefined ? undefined : toRecord(current);
  }
}

function soleMatch(rows: readonly KeyRow[], prefix: string): KeyRow | undefined {
  if (rows.length > 1) {
    const ids = rows.map((row) => row.id).join(", ");
    throw new Error(`display prefix "${prefix}" matches ${rows.length} keys (${ids}); revoke by id instead`);
  }
  return rows[0];
}

function toRecord(row: KeyRow): VirtualKeyRecord {
  return {
    id: row.id,
    name: row.name,
    keyHash: row.key_hash,
    displayPrefix: row.display_prefix,
    allowedModels: parseStringList(row.allowed_models, row.id),
    metadata: parseStringMap(row.metadata, row.id),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revokedAt: row.revoked_at,
  };
}

function parseStringList(text: string, keyId: string): string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === "string")) {
    throw new Error(`virtual key ${keyId}: allowed_models is not a JSON array of strings`);
  }
  return value;
}

function parseStringMap(text: string, keyId: string): Record<string, string> {
  const value: unknown = JSON.parse(text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`virtual key ${keyId}: metadata is not a JSON object`);
  }
  const entries = Object.entries(value);
  for (const [name, item] of entries) {
    if (typeof item !== "string") {
      throw new Error(`virtual key ${keyId}: metadata.${name} is not a string`);
    }
  }
  // fromEntries defines own properties, so a "__proto__" tag stays data instead of a prototype.
  return Object.fromEntries(entries);
}
