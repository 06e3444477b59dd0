import type { Storage } from "../core/ports/storage.js";
import { migrateStorage } from "./migrate-storage.js";
import { openPostgresDatabase } from "./open-postgres-database.js";
import { openSqliteDatabase } from "./open-sqlite-database.js";
import { SqlStorage } from "./sql-storage.js";

export interface OpenStorageOptions {
  /** Postgres only: the schema to use (created when missing) instead of the default search_path. */
  readonly schema?: string;
  /**
   * Postgres only: told about errors of idle pooled connections (e.g. the server restarted). They are
   * not fatal; the pool reconnects on the next query. Ignored when omitted.
   */
  readonly onBackgroundError?: (error: Error) => void;
}

/**
 * Opens storage by URL and migrates it to the latest schema:
 * `sqlite:<path>` (parent directory created), `sqlite::memory:`, or `postgres://…` / `postgresql://…`.
 */
export async function openStorage(url: string, options: OpenStorageOptions = {}): Promise<Storage> {
  if (url.startsWith("sqlite:")) {
    if (options.schema !== undefined) {
      throw new Error("openStorage: the schema option applies to Postgres only");
    }
    const path = url.slice("sqlite:".length);
    if (path === "") throw new Error('openStorage: "sqlite:" needs a path, e.g. sqlite:./data/switchyard.db');
    const { db, database } = openSqliteDatabase(path);
    return migrated(new SqlStorage(db, "sqlite", database), () => migrateStorage(db, "sqlite"));
  }
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    const { db, schema } = await openPostgresDatabase(url, options);
    return migrated(new SqlStorage(db, "postgres"), () => migrateStorage(db, "postgres", schema));
  }
  throw new Error(
    `openStorage: unsupported storage URL "${redact(url)}"; expected sqlite:<path>, sqlite::memory: or postgres://…`,
  );
}

async function migrated(storage: SqlStorage, migrate: () => Promise<void>): Promise<Storage> {
  try {
    await migrate();
    return storage;
  } catch (error) {
    await storage.close();
    throw error;
  }
}

/** Error messages end up in logs; never echo a password that came inside a URL. */
function redact(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, "//$1:***@");
}
