import type { Insertable, Kysely, Selectable } from "kysely";
import type { RequestLogQuery, RequestLogRecord, RequestLogStore } from "../core/ports/request-log-store.js";
import type { RequestLogsTable, StorageDatabase, StorageDialect } from "./storage-database.js";

export const DEFAULT_REQUEST_LOG_LIMIT = 100;
export const MAX_REQUEST_LOG_LIMIT = 10_000;

/**
 * Rows per INSERT statement. 17 columns × 500 rows stays far below SQLite's (32,766) and Postgres's
 * (65,535) bound-parameter limits, so any batch size works; the chunks share one transaction.
 */
const INSERT_CHUNK_ROWS = 500;

/** `RequestLogStore` over the shared Kysely schema; identical for SQLite and Postgres. */
export class SqlRequestLogStore implements RequestLogStore {
  readonly #db: Kysely<StorageDatabase>;
  readonly #dialect: StorageDialect;

  constructor(db: Kysely<StorageDatabase>, dialect: StorageDialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  async appendBatch(records: readonly RequestLogRecord[]): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map((record) => this.#toRow(record));
    await this.#db.transaction().execute(async (trx) => {
      for (let start = 0; start < rows.length; start += INSERT_CHUNK_ROWS) {
        await trx
          .insertInto("request_logs")
          .values(rows.slice(start, start + INSERT_CHUNK_ROWS))
          .execute();
      }
    });
  }

  /**
   * Every given filter applies (AND). `model` matches the public model name the client asked for
   * (`modelRequested`). `limit` defaults to 100 and is clamped to 0..10,000. Rows with the same
   * `createdAt` are ordered by id, so paging is deterministic.
   */
  async query(query: RequestLogQuery): Promise<RequestLogRecord[]> {
    let select = this.#db.selectFrom("request_logs").selectAll();
    if (query.sinceMs !== undefined) select = select.where("created_at", ">=", query.sinceMs);
    if (query.untilMs !== undefined) select = select.where("created_at", "<", query.untilMs);
    if (query.status !== undefined) select = select.where("status", "=", query.status);
    if (query.statusClass !== undefined) {
      select = select
        .where("status", ">=", query.statusClass * 100)
        .where("status", "<", (query.statusClass + 1) * 100);
    }
    if (query.keyId !== undefined) select = select.where("key_id", "=", query.keyId);
    if (query.model !== undefined) select = select.where("model_requested", "=", query.model);
    const order = query.order ?? "desc";
    const rows = await select
      .orderBy("created_at", order)
      .orderBy("id", order)
      .limit(clampLimit(query.limit))
      .execute();
    return rows.map(toRecord);
  }

  #toRow(record: RequestLogRecord): Insertable<RequestLogsTable> {
    return {
      id: record.id,
      created_at: record.createdAt,
      key_id: record.keyId,
      endpoint: record.endpoint,
      model_requested: record.modelRequested,
      target: record.target,
      status: record.status,
      stream: this.#dialect === "postgres" ? record.stream : record.stream ? 1 : 0,
      latency_ms: record.latencyMs,
      ttft_ms: record.ttftMs,
      overhead_ms: record.overheadMs,
      input_tokens: record.inputTokens,
      output_tokens: record.outputTokens,
      cached_tokens: record.cachedTokens,
      error_code: record.errorCode,
      attempts: record.attempts,
    };
  }
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || Number.isNaN(limit)) return DEFAULT_REQUEST_LOG_LIMIT;
  return Math.min(Math.max(Math.floor(limit), 0), MAX_REQUEST_LOG_LIMIT);
}

function toRecord(row: Selectable<RequestLogsTable>): RequestLogRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    keyId: row.key_id,
    endpoint: row.endpoint,
    modelRequested: row.model_requested,
    target: row.target,
    status: row.status,
    stream: row.stream === true || row.stream === 1,
    latencyMs: row.latency_ms,
    ttftMs: row.ttft_ms,
    overheadMs: row.overhead_ms,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cachedTokens: row.cached_tokens,
    errorCode: row.error_code,
    attempts: row.attempts,
  };
}
