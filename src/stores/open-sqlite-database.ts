import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { StorageDatabase } from "./storage-database.js";

export const SQLITE_MEMORY_PATH = ":memory:";

/**
 * Opens (creating it and its parent directory when missing) a SQLite file, or an in-memory database
 * for `:memory:`. WAL lets readers run beside the single writer; `busy_timeout` makes a second process
 * wait for the write lock instead of failing at once with SQLITE_BUSY. `synchronous = NORMAL` is the setting
 * SQLite recommends with WAL: commits stay atomic and the file cannot corrupt; a power cut may lose the last
 * commits, which for batched request-log rows is the bounded loss we accept anyway.
 */
export interface SqliteHandles {
  readonly db: Kysely<StorageDatabase>;
  /** The same connection, for the few statements worth preparing once (the request-log insert). */
  readonly database: Database.Database;
}

export function openSqliteDatabase(path: string): SqliteHandles {
  if (path !== SQLITE_MEMORY_PATH) mkdirSync(dirname(resolve(path)), { recursive: true });
  const database = new Database(path);
  try {
    database.pragma("journal_mode = WAL");
    database.pragma("busy_timeout = 5000");
    database.pragma("synchronous = NORMAL");
    database.pragma("foreign_keys = ON");
  } catch (error) {
    database.close();
    throw error;
  }
  return { db: new Kysely<StorageDatabase>({ dialect: new SqliteDialect({ database }) }), database };
}
