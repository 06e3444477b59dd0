import type { Kysely } from "kysely";
import type { SettingsStore } from "../core/ports/settings-store.js";
import type { StorageDatabase } from "./storage-database.js";

/** `SettingsStore` over the shared Kysely schema; identical for SQLite and Postgres. */
export class SqlSettingsStore implements SettingsStore {
  readonly #db: Kysely<StorageDatabase>;

  constructor(db: Kysely<StorageDatabase>) {
    this.#db = db;
  }

  async get(name: string): Promise<string | undefined> {
    const row = await this.#db
      .selectFrom("settings")
      .select("value")
      .where("name", "=", name)
      .executeTakeFirst();
    return row?.value;
  }

  /** Atomic even across processes: the primary key decides, and only the winner gets a returned row. */
  async setIfAbsent(name: string, value: string): Promise<boolean> {
    const inserted = await this.#db
      .insertInto("settings")
      .values({ name, value })
      .onConflict((oc) => oc.column("name").doNothing())
      .returning("name")
      .executeTakeFirst();
    return inserted !== undefined;
  }

  async set(name: string, value: string): Promise<void> {
    await this.#db
      .insertInto("settings")
      .values({ name, value })
      .onConflict((oc) => oc.column("name").doUpdateSet((eb) => ({ value: eb.ref("excluded.value") })))
      .execute();
  }
}
