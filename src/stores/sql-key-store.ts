import { type Kysely, type Selectable, sql, type Updateable, type UpdateObject } from "kysely";
import { isAdminRole } from "../core/admin-role.js";
import type {
  KeyRotation,
  KeyStore,
  NewVirtualKey,
  VirtualKeyChanges,
  VirtualKeyRecord,
} from "../core/ports/key-store.js";
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
        allowed_endpoints: JSON.stringify(key.allowedEndpoints),
        metadata: JSON.stringify(key.metadata),
        team_id: key.teamId,
        project_id: key.projectId,
        user_id: key.userId,
        role: key.role,
        expires_at: key.expiresAt,
        previous_key_hash: null,
        previous_key_expires_at: null,
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

  async get(id: string): Promise<VirtualKeyRecord | undefined> {
    const row = await this.#db.selectFrom("virtual_keys").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? undefined : toRecord(row);
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

  async update(id: string, changes: VirtualKeyChanges, atMs: number): Promise<VirtualKeyRecord | undefined> {
    const set: Updateable<VirtualKeysTable> = { updated_at: atMs };
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.allowedModels !== undefined) set.allowed_models = JSON.stringify(changes.allowedModels);
    if (changes.allowedEndpoints !== undefined)
      set.allowed_endpoints = JSON.stringify(changes.allowedEndpoints);
    if (changes.metadata !== undefined) set.metadata = JSON.stringify(changes.metadata);
    if (changes.teamId !== undefined) set.team_id = changes.teamId;
    if (changes.projectId !== undefined) set.project_id = changes.projectId;
    if (changes.userId !== undefined) set.user_id = changes.userId;
    if (changes.role !== undefined) set.role = changes.role;
    if (changes.expiresAt !== undefined) set.expires_at = changes.expiresAt;
    return this.#updateActive(id, set);
  }

  rotate(id: string, rotation: KeyRotation, atMs: number): Promise<VirtualKeyRecord | undefined> {
    return this.#updateActive(id, {
      previous_key_hash: sql.ref("key_hash"),
      previous_key_expires_at: rotation.previousKeyExpiresAt,
      key_hash: rotation.keyHash,
      display_prefix: rotation.displayPrefix,
      updated_at: atMs,
    });
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
    const updated = await this.#updateActive(target.id, { revoked_at: atMs, updated_at: atMs });
    return updated ?? this.get(target.id);
  }

  /** One guarded UPDATE: a revoked key never changes again. */
  async #updateActive(
    id: string,
    set: UpdateObject<StorageDatabase, "virtual_keys">,
  ): Promise<VirtualKeyRecord | undefined> {
    const row = await this.#db
      .updateTable("virtual_keys")
      .set(set)
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : toRecord(row);
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
  const role = row.role;
  if (role !== null && !isAdminRole(role)) throw new Error(`virtual key ${row.id}: unknown role "${role}"`);
  return {
    id: row.id,
    name: row.name,
    keyHash: row.key_hash,
    displayPrefix: row.display_prefix,
    allowedModels: parseStringList(row.allowed_models, row.id, "allowed_models"),
    allowedEndpoints: parseStringList(row.allowed_endpoints, row.id, "allowed_endpoints"),
    metadata: parseStringMap(row.metadata, row.id),
    teamId: row.team_id,
    projectId: row.project_id,
    userId: row.user_id,
    role,
    expiresAt: row.expires_at,
    previousKeyHash: row.previous_key_hash,
    previousKeyExpiresAt: row.previous_key_expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revokedAt: row.revoked_at,
  };
}

function parseStringList(text: string, keyId: string, column: string): string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === "string")) {
    throw new Error(`virtual key ${keyId}: ${column} is not a JSON array of strings`);
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
