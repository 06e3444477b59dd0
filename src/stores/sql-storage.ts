import type { Database as SqliteDatabase } from "better-sqlite3";
import { type Kysely, sql } from "kysely";
import type { Storage } from "../core/ports/storage.js";
import { SqlAuditLogStore } from "./sql-audit-log-store.js";
import { SqlKeyStore } from "./sql-key-store.js";
import { SqlLeverStore } from "./sql-lever-store.js";
import { SqlRequestLogStore } from "./sql-request-log-store.js";
import { SqlSettingsStore } from "./sql-settings-store.js";
import { SqlSloBucketStore } from "./sql-slo-bucket-store.js";
import { SqlTenancyStore } from "./sql-tenancy-store.js";
import type { StorageDatabase, StorageDialect } from "./storage-database.js";

/** One `Storage` handle over an already migrated Kysely instance, which it owns and closes. */
export class SqlStorage implements Storage {
  readonly dialect: StorageDialect;
  readonly keys: SqlKeyStore;
  readonly requestLogs: SqlRequestLogStore;
  readonly settings: SqlSettingsStore;
  readonly tenancy: SqlTenancyStore;
  readonly audit: SqlAuditLogStore;
  readonly sloBuckets: SqlSloBucketStore;
  readonly levers: SqlLeverStore;
  readonly #db: Kysely<StorageDatabase>;

  constructor(db: Kysely<StorageDatabase>, dialect: StorageDialect, sqlite?: SqliteDatabase) {
    this.#db = db;
    this.dialect = dialect;
    this.keys = new SqlKeyStore(db);
    this.requestLogs = new SqlRequestLogStore(db, dialect, sqlite);
    this.settings = new SqlSettingsStore(db);
    this.tenancy = new SqlTenancyStore(db);
    this.audit = new SqlAuditLogStore(db, dialect, sqlite);
    this.sloBuckets = new SqlSloBucketStore(db);
    this.levers = new SqlLeverStore(db);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.#db);
  }

  /** Idempotent: Kysely destroys its driver (and so the pg pool or SQLite handle) only once. */
  async close(): Promise<void> {
    await this.#db.destroy();
  }
}
