import { CompiledQuery, Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { StorageDatabase } from "./storage-database.js";

/**
 * Epoch-ms columns are `bigint`, which pg returns as strings by default. Times stay far below 2^53, so
 * a JS number is exact. Set per pool, not through `pg.types.setTypeParser`, so other pg users in the
 * process keep their own parsing.
 */
const poolTypes: pg.CustomTypesConfig = {
  getTypeParser: (id, format) =>
    id === pg.types.builtins.INT8 && format !== "binary" ? Number : pg.types.getTypeParser(id, format),
};

export interface PostgresDatabase {
  readonly db: Kysely<StorageDatabase>;
  /** The schema the tables live in (the connection's `current_schema()`). */
  readonly schema: string;
}

export interface PostgresOptions {
  readonly schema?: string | undefined;
  readonly onBackgroundError?: ((error: Error) => void) | undefined;
}

/**
 * Connects a pool to `url`. With `schema`, every new connection sets `search_path` to exactly that
 * schema (created when missing), so unqualified table names resolve there and nowhere else.
 */
export async function openPostgresDatabase(
  url: string,
  { schema, onBackgroundError }: PostgresOptions = {},
): Promise<PostgresDatabase> {
  if (schema !== undefined && (schema === "" || schema.length > 63)) {
    throw new Error(`invalid Postgres schema name "${schema}": it must have 1 to 63 characters`);
  }
  // pg waits forever for a connection by default; an unreachable host would hang start-up and ping().
  const pool = new pg.Pool({ connectionString: url, types: poolTypes, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its connection (server restart, admin termination) is emitted as a pool
  // 'error'; without a listener Node would crash the process. The pool drops that client and the next
  // query connects anew. https://node-postgres.com/apis/pool#error
  pool.on("error", (error) => onBackgroundError?.(error));
  const setSearchPath =
    schema === undefined ? undefined : CompiledQuery.raw(`set search_path to ${quoteIdentifier(schema)}`);
  const db = new Kysely<StorageDatabase>({
    dialect: new PostgresDialect({
      pool,
      ...(setSearchPath === undefined
        ? {}
        : {
            onCreateConnection: async (connection) => {
              await connection.executeQuery(setSearchPath);
            },
          }),
    }),
  });
  try {
    if (schema !== undefined) await ensureSchema(db, schema);
    const result = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    const current = result.rows[0]?.schema;
    if (current === undefined || current === null) {
      throw new Error("Postgres has no current schema: its search_path names no existing schema");
    }
    return { db, schema: current };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

async function ensureSchema(db: Kysely<StorageDatabase>, schema: string): Promise<void> {
  try {
    await db.schema.createSchema(schema).ifNotExists().execute();
  } catch (error) {
    // Concurrent `create schema if not exists` can still fail with a unique violation; the schema
    // then exists, which is all we need.
    const found = await sql`select 1 from pg_namespace where nspname = ${schema}`.execute(db);
    if (found.rows.length === 0) throw error;
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
