import Database from "better-sqlite3";
import pg from "pg";

type Row = Record<string, unknown>;

/** Direct SQL on the database the CLI writes, for tests that play the attacker. */
export interface TamperDatabase {
  /** Runs statements with `?` placeholders (rewritten to `$n` for Postgres). */
  run(statement: string, parameters?: readonly unknown[]): Promise<void>;
  rows(query: string): Promise<Row[]>;
  /** Remembers the audit tables now; `restore` puts them back exactly. */
  snapshot(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

const auditTables = ["audit_log", "audit_checkpoints"] as const;

function withSnapshot(base: Omit<TamperDatabase, "snapshot" | "restore">): TamperDatabase {
  const saved = new Map<string, Row[]>();
  return {
    ...base,
    async snapshot() {
      for (const table of auditTables) saved.set(table, await base.rows(`select * from ${table}`));
    },
    async restore() {
      for (const table of auditTables) {
        await base.run(`delete from ${table}`);
        for (const row of saved.get(table) ?? []) {
          const columns = Object.keys(row);
          await base.run(
            `insert into ${table} (${columns.join(", ")}) values (${columns.map(() => "?").join(", ")})`,
            columns.map((column) => row[column]),
          );
        }
      }
    },
  };
}

export function openSqliteTamperDatabase(file: string): TamperDatabase {
  const database = new Database(file);
  return withSnapshot({
    async run(statement, parameters = []) {
      database.prepare(statement).run(...parameters);
    },
    async rows(query) {
      return database.prepare<[], Row>(query).all();
    },
    async close() {
      database.close();
    },
  });
}

export async function openPostgresTamperDatabase(url: string, schema: string): Promise<TamperDatabase> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`set search_path to "${schema}"`);
  const numbered = (statement: string) => {
    let index = 0;
    return statement.replace(/\?/g, () => `$${++index}`);
  };
  return withSnapshot({
    async run(statement, parameters = []) {
      await client.query(numbered(statement), [...parameters]);
    },
    async rows(query) {
      return (await client.query<Row>(query)).rows;
    },
    async close() {
      await client.end();
    },
  });
}
