import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import type { StorageDatabase, StorageDialect } from "./storage-database.js";

/**
 * The schema's history, oldest first; names sort in apply order. Never edit an applied migration:
 * append a new one. Column types differ only where the dialects differ (epoch-ms `bigint` and a real
 * `boolean` in Postgres, `integer` for both in SQLite).
 */
export function storageMigrations(dialect: StorageDialect): Record<string, Migration> {
  const epochMs = dialect === "postgres" ? "bigint" : "integer";
  const bool = dialect === "postgres" ? "boolean" : "integer";
  // Durations may be fractional (sub-millisecond gateway overhead); SQLite `real` is an 8-byte float.
  const durationMs = dialect === "postgres" ? "double precision" : "real";

  return {
    "0001_initial": {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable("settings")
          .addColumn("name", "text", (c) => c.primaryKey())
          .addColumn("value", "text", (c) => c.notNull())
          .execute();

        await db.schema
          .createTable("virtual_keys")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("name", "text", (c) => c.notNull())
          .addColumn("key_hash", "text", (c) => c.notNull().unique())
          .addColumn("display_prefix", "text", (c) => c.notNull())
          .addColumn("allowed_models", "text", (c) => c.notNull())
          .addColumn("metadata", "text", (c) => c.notNull())
          .addColumn("created_at", epochMs, (c) => c.notNull())
          .addColumn("updated_at", epochMs, (c) => c.notNull())
          .addColumn("revoked_at", epochMs)
          .execute();
        await db.schema
          .createIndex("virtual_keys_updated_at_idx")
          .on("virtual_keys")
          .column("updated_at")
          .execute();

        await db.schema
          .createTable("request_logs")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("created_at", epochMs, (c) => c.notNull())
          .addColumn("key_id", "text")
          .addColumn("endpoint", "text", (c) => c.notNull())
          .addColumn("model_requested", "text")
          .addColumn("target", "text")
          .addColumn("status", "integer", (c) => c.notNull())
          .addColumn("stream", bool, (c) => c.notNull())
          .addColumn("latency_ms", durationMs, (c) => c.notNull())
          .addColumn("ttft_ms", durationMs)
          .addColumn("overhead_ms", durationMs, (c) => c.notNull())
          .addColumn("input_tokens", "integer")
          .addColumn("output_tokens", "integer")
          .addColumn("cached_tokens", "integer")
          .addColumn("error_code", "text")
          .addColumn("attempts", "integer", (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex("request_logs_created_at_idx")
          .on("request_logs")
          .column("created_at")
          .execute();
        await db.schema.createIndex("request_logs_status_idx").on("request_logs").column("status").execute();
      },
    },
    // Measured on the request-log worker: the status index cost ~2 µs per inserted row, and every status query
    // is bounded by time, which the created_at index serves.
    "0002_drop_request_logs_status_index": {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema.dropIndex("request_logs_status_idx").ifExists().execute();
      },
    },
    // JSON columns are text, not jsonb: jsonb may rewrite numbers and key order, and the hash covers the values.
    "0003_audit_log": {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable("audit_log")
          .addColumn("sequence", epochMs, (c) => c.primaryKey())
          .addColumn("occurred_at", epochMs, (c) => c.notNull())
          .addColumn("actor_kind", "text", (c) => c.notNull())
          .addColumn("actor_id", "text", (c) => c.notNull())
          .addColumn("actor_display", "text", (c) => c.notNull())
          .addColumn("action", "text", (c) => c.notNull())
          .addColumn("target", "text", (c) => c.notNull())
          .addColumn("reason", "text")
          .addColumn("before_json", "text", (c) => c.notNull())
          .addColumn("after_json", "text", (c) => c.notNull())
          .addColumn("request_id", "text")
          .addColumn("prev_hash", "text", (c) => c.notNull())
          .addColumn("hash", "text", (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex("audit_log_occurred_at_idx")
          .on("audit_log")
          .column("occurred_at")
          .execute();

        await db.schema
          .createTable("audit_checkpoints")
          .addColumn("sequence", epochMs, (c) => c.primaryKey())
          .addColumn("hash", "text", (c) => c.notNull())
          .addColumn("created_at", epochMs, (c) => c.notNull())
          .addColumn("key_id", "text", (c) => c.notNull())
          .addColumn("signature", "text", (c) => c.notNull())
          .execute();
      },
    },
    // What safety policies did to the request (`pii.mask:3`); counts and types only, never values.
    "0004_request_logs_policy": {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema.alterTable("request_logs").addColumn("policy", "text").execute();
      },
    },
    // Teams, projects, and what keys need for tenancy. Keys reference teams and projects without foreign keys:
    // SQLite cannot add one to an existing table, so the stores check references instead (in one dialect-neutral
    // way); a project's team is a real foreign key.
    "0005_tenancy_teams_projects_keys": {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable("teams")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("name", "text", (c) => c.notNull().unique())
          .addColumn("created_at", epochMs, (c) => c.notNull())
          .addColumn("updated_at", epochMs, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable("projects")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("team_id", "text", (c) => c.notNull().references("teams.id"))
          .addColumn("name", "text", (c) => c.notNull())
          .addColumn("created_at", epochMs, (c) => c.notNull())
          .addColumn("updated_at", epochMs, (c) => c.notNull())
          .addUniqueConstraint("projects_team_name_unique", ["team_id", "name"])
          .execute();
        const columns: [string, string][] = [
          ["team_id", "text"],
          ["project_id", "text"],
          ["user_id", "text"],
          ["role", "text"],
          ["expires_at", epochMs],
          ["previous_key_hash", "text"],
          ["previous_key_expires_at", epochMs],
        ];
        for (const [name, type] of columns) {
          await db.schema.alterTable("virtual_keys").addColumn(name, sql.raw(type)).execute();
        }
        await db.schema
          .alterTable("virtual_keys")
          .addColumn("allowed_endpoints", "text", (c) => c.notNull().defaultTo("[]"))
          .execute();
        await db.schema
          .createIndex("virtual_keys_team_id_idx")
          .on("virtual_keys")
          .column("team_id")
          .execute();
      },
    },
    "0006_request_logs_attempt_path": {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema.alterTable("request_logs").addColumn("attempt_path", "text").execute();
      },
    },
    // The hashed end user (`x-switchyard-user` or `user`), for per-user reports; never the raw id.
    "0007_request_logs_end_user": {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema.alterTable("request_logs").addColumn("end_user", "text").execute();
      },
    },
    // Cost accounting: the extra token kinds, the priced cost and who to attribute it to (see docs/cost.md).
    "0008_request_logs_cost": {
      async up(db: Kysely<unknown>): Promise<void> {
        const money = dialect === "postgres" ? "double precision" : "real";
        const columns: [string, string][] = [
          ["cache_write_tokens", "integer"],
          ["reasoning_tokens", "integer"],
          ["usage_estimated", bool],
          ["cost_usd", money],
          ["cache_savings_usd", money],
          ["price_version", "text"],
          ["team", "text"],
          ["project", "text"],
          ["tags", "text"],
        ];
        for (const [name, type] of columns) {
          await db.schema
            .alterTable("request_logs")
            .addColumn(name, type as "text")
            .execute();
        }
      },
    },
    // Request explorer: trace id and each upstream attempt
    // (JSON array of {target, status, errorCode, durationMs}).
    "0009_request_logs_explorer": {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema.alterTable("request_logs").addColumn("trace_id", "text").execute();
        await db.schema.alterTable("request_logs").addColumn("attempt_details", "text").execute();
      },
    },
    // What a cross-dialect translation could not carry across (`x-switchyard-warnings`); never body content.
    "0010_request_logs_warnings": {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema.alterTable("request_logs").addColumn("warnings", "text").execute();
      },
    },
    // Per-minute good/total counts of each SLO, added to by every node; read back at start-up.
    "0011_slo_buckets": {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable("slo_buckets")
          .addColumn("slo", "text", (c) => c.notNull())
          .addColumn("minute_start", epochMs, (c) => c.notNull())
          .addColumn("good", epochMs, (c) => c.notNull())
          .addColumn("total", epochMs, (c) => c.notNull())
          .addPrimaryKeyConstraint("slo_buckets_pkey", ["slo", "minute_start"])
          .execute();
        await db.schema
          .createIndex("slo_buckets_minute_start")
          .on("slo_buckets")
          .column("minute_start")
          .execute();
      },
    },
    // Incident levers (JSON params per kind); a cleared lever keeps its row with who cleared it and why.
    "0012_levers": {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable("levers")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("params", "text", (c) => c.notNull())
          .addColumn("reason", "text", (c) => c.notNull())
          .addColumn("actor", "text", (c) => c.notNull())
          .addColumn("created_at", epochMs, (c) => c.notNull())
          .addColumn("expires_at", epochMs)
          .addColumn("cleared_at", epochMs)
          .addColumn("cleared_by", "text")
          .addColumn("clear_reason", "text")
          .execute();
      },
    },
  };
}

/**
 * Applies every pending migration. `migrationTableSchema` must name the Postgres schema the tables live
 * in: Kysely otherwise finds its bookkeeping table in any schema of the database and would skip
 * migrating a fresh schema.
 */
export async function migrateStorage(
  db: Kysely<StorageDatabase>,
  dialect: StorageDialect,
  migrationTableSchema?: string,
): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => storageMigrations(dialect) };
  const migrator = new Migrator({
    db,
    provider,
    ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }),
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) {
    throw new Error(`storage migration failed: ${String(error)}`, { cause: error });
  }
}
