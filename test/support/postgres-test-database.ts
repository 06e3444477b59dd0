import { randomBytes } from "node:crypto";
import pg from "pg";

/** The Postgres the tests use: the machine's own, or `SWITCHYARD_TEST_POSTGRES_URL`. */
export const postgresTestUrl =
  process.env.SWITCHYARD_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const shownPostgresUrl = postgresTestUrl.replace(/:[^:@/]*@/, ":***@");
const inCi = process.env.CI !== undefined && process.env.CI !== "";

/** Why Postgres cannot be reached, or undefined when it answers. */
export async function postgresUnreachableReason(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: postgresTestUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Skip only when Postgres is genuinely absent on a developer's machine; under CI an absent Postgres must fail
 * (the suite's beforeAll throws `unreachable`).
 */
export async function postgresAvailability(
  suite: string,
): Promise<{ skip: boolean; unreachable: string | undefined }> {
  const unreachable = await postgresUnreachableReason();
  const skip = unreachable !== undefined && !inCi;
  if (skip)
    console.warn(
      `Skipping ${suite}: ${shownPostgresUrl} is unreachable (${unreachable}). Set CI to make this fail.`,
    );
  return { skip, unreachable };
}

export function uniqueSchemaName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString("hex")}`;
}

export async function dropSchemas(schemas: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: postgresTestUrl });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
