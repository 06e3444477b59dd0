import type { Kysely } from "kysely";
import type { SloBucketRow, SloBucketStore } from "../core/ports/slo-bucket-store.js";
import type { StorageDatabase } from "./storage-database.js";

/** `SloBucketStore` over the shared Kysely schema; identical for SQLite and Postgres. */
export class SqlSloBucketStore implements SloBucketStore {
  readonly #db: Kysely<StorageDatabase>;

  constructor(db: Kysely<StorageDatabase>) {
    this.#db = db;
  }

  async addBatch(rows: readonly SloBucketRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.#db.transaction().execute(async (transaction) => {
      for (const row of rows) {
        await transaction
          .insertInto("slo_buckets")
          .values({ slo: row.slo, minute_start: row.minuteStart, good: row.good, total: row.total })
          .onConflict((oc) =>
            oc.columns(["slo", "minute_start"]).doUpdateSet((eb) => ({
              good: eb(eb.ref("slo_buckets.good"), "+", eb.ref("excluded.good")),
              total: eb(eb.ref("slo_buckets.total"), "+", eb.ref("excluded.total")),
            })),
          )
          .execute();
      }
    });
  }

  async query(sinceMs: number): Promise<SloBucketRow[]> {
    const rows = await this.#db
      .selectFrom("slo_buckets")
      .selectAll()
      .where("minute_start", ">=", sinceMs)
      .orderBy("minute_start", "asc")
      .orderBy("slo", "asc")
      .execute();
    return rows.map((row) => ({
      slo: row.slo,
      minuteStart: Number(row.minute_start),
      good: Number(row.good),
      total: Number(row.total),
    }));
  }

  async deleteBefore(beforeMs: number): Promise<number> {
    const result = await this.#db
      .deleteFrom("slo_buckets")
      .where("minute_start", "<", beforeMs)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
