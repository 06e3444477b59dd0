import type { Kysely, Selectable } from "kysely";
import type { Lever, LeverParams } from "../core/lever.js";
import type { ClearedLever, LeverStore } from "../core/ports/lever-store.js";
import type { LeversTable, StorageDatabase } from "./storage-database.js";

/** `LeverStore` over the shared Kysely schema; identical for SQLite and Postgres. */
export class SqlLeverStore implements LeverStore {
  readonly #db: Kysely<StorageDatabase>;

  constructor(db: Kysely<StorageDatabase>) {
    this.#db = db;
  }

  async insert(lever: Lever): Promise<void> {
    const { kind, ...params } = lever.params;
    await this.#db
      .insertInto("levers")
      .values({
        id: lever.id,
        kind,
        params: JSON.stringify(params),
        reason: lever.reason,
        actor: lever.actor,
        created_at: lever.createdAt,
        expires_at: lever.expiresAt,
        cleared_at: null,
        cleared_by: null,
        clear_reason: null,
      })
      .execute();
  }

  async listActive(now: number): Promise<Lever[]> {
    const rows = await this.#db
      .selectFrom("levers")
      .selectAll()
      .where("cleared_at", "is", null)
      .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    return rows.map(leverOf);
  }

  async clear(
    id: string,
    clearedBy: string,
    clearReason: string,
    clearedAt: number,
  ): Promise<ClearedLever | undefined> {
    const row = await this.#db
      .updateTable("levers")
      .set({ cleared_at: clearedAt, cleared_by: clearedBy, clear_reason: clearReason })
      .where("id", "=", id)
      .where("cleared_at", "is", null)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : { lever: leverOf(row), clearedBy, clearReason, clearedAt };
  }
}

function leverOf(row: Selectable<LeversTable>): Lever {
  const params = { ...(JSON.parse(row.params) as object), kind: row.kind } as LeverParams;
  return {
    id: row.id,
    params,
    reason: row.reason,
    actor: row.actor,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
