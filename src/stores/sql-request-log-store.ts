import type { Database as SqliteDatabase } from "better-sqlite3";
import { CompiledQuery, type Kysely, type Selectable, sql } from "kysely";
import type {
  EncodedRequestLogBatch,
  RequestLogAttempt,
  RequestLogQuery,
  RequestLogRecord,
  RequestLogStore,
} from "../core/ports/request-log-store.js";
import {
  decodeRequestLogBatch,
  encodeRequestLogBatch,
  forEachRequestLogRow,
} from "../core/request-log-codec.js";
import type { RequestLogsTable, StorageDatabase, StorageDialect } from "./storage-database.js";

export const DEFAULT_REQUEST_LOG_LIMIT = 100;
export const MAX_REQUEST_LOG_LIMIT = 10_000;

/**
 * Rows per INSERT statement. 30 columns × 500 rows stays far below SQLite's (32,766) and Postgres's
 * (65,535) bound-parameter limits, so any batch size works; the chunks share one transaction.
 */
const INSERT_CHUNK_ROWS = 500;

/** Columns in the order `#pushRow` writes values; checked against the table type by `satisfies`. */
const insertColumns = [
  "id",
  "created_at",
  "key_id",
  "endpoint",
  "model_requested",
  "target",
  "status",
  "stream",
  "latency_ms",
  "ttft_ms",
  "overhead_ms",
  "input_tokens",
  "output_tokens",
  "cached_tokens",
  "error_code",
  "attempts",
  "policy",
  "attempt_path",
  "end_user",
  "cache_write_tokens",
  "reasoning_tokens",
  "usage_estimated",
  "cost_usd",
  "cache_savings_usd",
  "price_version",
  "team",
  "project",
  "tags",
  "trace_id",
  "attempt_details",
  "warnings",
] as const satisfies readonly (keyof RequestLogsTable)[];

// The encoded rows' columns are `requestLogColumns`, in this same order (a test checks); these need converting.
const streamColumn = insertColumns.indexOf("stream");
const usageEstimatedColumn = insertColumns.indexOf("usage_estimated");
const attemptDetailsColumn = insertColumns.indexOf("attempt_details");

/** `RequestLogStore` over the shared Kysely schema; identical for SQLite and Postgres. */
export class SqlRequestLogStore implements RequestLogStore {
  readonly #db: Kysely<StorageDatabase>;
  readonly #dialect: StorageDialect;
  readonly #insertTexts = new Map<number, string>();

  readonly #sqlite: SqliteDatabase | undefined;
  #sqliteInsert: ((batch: EncodedRequestLogBatch) => void) | undefined;

  /** With the raw SQLite connection, inserts use one statement prepared once (about half the CPU per row). */
  constructor(db: Kysely<StorageDatabase>, dialect: StorageDialect, sqlite?: SqliteDatabase) {
    this.#db = db;
    this.#dialect = dialect;
    this.#sqlite = sqlite;
  }

  /**
   * An encoded batch (the writer thread's input). With SQLite each row is decoded into one reused array, in
   * the table's column order, and bound to the prepared insert as it is: no record object per row, about
   * half the writer thread's CPU per row. Postgres decodes the batch and takes `appendBatch`'s path.
   */
  async appendEncoded(batch: EncodedRequestLogBatch): Promise<void> {
    if (batch.rows === 0) return;
    if (this.#sqlite === undefined) return this.appendBatch(decodeRequestLogBatch(batch));
    // Prepared on first use: the table exists only once migrations have run.
    if (this.#sqliteInsert === undefined) {
      const statement = this.#sqlite.prepare(this.#insertText(1));
      this.#sqliteInsert = this.#sqlite.transaction((encoded: EncodedRequestLogBatch) => {
        forEachRequestLogRow(encoded, (values) => {
          values[streamColumn] = values[streamColumn] ? 1 : 0;
          const estimated = values[usageEstimatedColumn];
          if (estimated !== null) values[usageEstimatedColumn] = estimated ? 1 : 0;
          const details = values[attemptDetailsColumn];
          if (details !== null) values[attemptDetailsColumn] = JSON.stringify(details);
          // As arguments, not one array: better-sqlite3 reads an array element by element through V8's object
          // API, which under callgrind cost ~50,000 instructions per row (insert: 75k -> 25k instructions).
          statement.run(...values);
        });
      });
    }
    this.#sqliteInsert(batch);
  }

  /**
   * One transaction of multi-row INSERTs. The statement text is built once per row count and reused, and the
   * values are passed as one flat parameter list: building 500-row inserts through the query builder's AST
   * cost ~20 µs of CPU per row, most of the request log's price.
   */
  async appendBatch(records: readonly RequestLogRecord[]): Promise<void> {
    if (records.length === 0) return;
    // SQLite has one insert path, the writer thread's: encoding a batch costs far less than the insert.
    if (this.#sqlite !== undefined) return this.appendEncoded(encodeRequestLogBatch(records));
    await this.#db.transaction().execute(async (trx) => {
      for (let start = 0; start < records.length; start += INSERT_CHUNK_ROWS) {
        const chunk = records.slice(start, start + INSERT_CHUNK_ROWS);
        const parameters: unknown[] = [];
        for (const record of chunk) this.#pushRow(parameters, record);
        await trx.executeQuery(CompiledQuery.raw(this.#insertText(chunk.length), parameters));
      }
    });
  }

  #insertText(rowCount: number): string {
    let text = this.#insertTexts.get(rowCount);
    if (text === undefined) {
      const rows: string[] = [];
      let parameter = 0;
      for (let row = 0; row < rowCount; row += 1) {
        const placeholders = insertColumns.map(() =>
          this.#dialect === "postgres" ? `$${++parameter}` : "?",
        );
        rows.push(`(${placeholders.join(", ")})`);
      }
      text = `insert into "request_logs" (${insertColumns.map((column) => `"${column}"`).join(", ")}) values ${rows.join(", ")}`;
      this.#insertTexts.set(rowCount, text);
    }
    return text;
  }

  /** Appends one record's values in `insertColumns` order. */
  #pushRow(parameters: unknown[], record: RequestLogRecord): void {
    parameters.push(
      record.id,
      record.createdAt,
      record.keyId,
      record.endpoint,
      record.modelRequested,
      record.target,
      record.status,
      this.#dialect === "postgres" ? record.stream : record.stream ? 1 : 0,
      record.latencyMs,
      record.ttftMs,
      record.overheadMs,
      record.inputTokens,
      record.outputTokens,
      record.cachedTokens,
      record.errorCode,
      record.attempts,
      record.policy ?? null,
      record.attemptPath ?? null,
      record.endUser ?? null,
      record.cacheWriteTokens ?? null,
      record.reasoningTokens ?? null,
      record.usageEstimated === undefined
        ? null
        : this.#dialect === "postgres"
          ? record.usageEstimated
          : record.usageEstimated
            ? 1
            : 0,
      record.costUsd ?? null,
      record.cacheSavingsUsd ?? null,
      record.priceVersion ?? null,
      record.team ?? null,
      record.project ?? null,
      record.tags ?? null,
      record.traceId ?? null,
      record.attemptDetails === undefined || record.attemptDetails === null
        ? null
        : JSON.stringify(record.attemptDetails),
      record.warnings ?? null,
    );
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
    if (query.team !== undefined) select = select.where("team", "=", query.team);
    if (query.project !== undefined) select = select.where("project", "=", query.project);
    if (query.target !== undefined) select = select.where("target", "=", query.target);
    if (query.minLatencyMs !== undefined) select = select.where("latency_ms", ">=", query.minLatencyMs);
    if (query.traceId !== undefined) select = select.where("trace_id", "=", query.traceId);
    if (query.minCostUsd !== undefined) select = select.where("cost_usd", ">=", query.minCostUsd);
    if (query.endUser !== undefined) select = select.where("end_user", "=", query.endUser);
    if (query.tag !== undefined) {
      // `tags` is `a=1,b=2`: the pair must sit between commas or the ends. A substring search, not LIKE: no
      // wildcards to escape, and case-sensitive in SQLite too (its LIKE ignores ASCII case).
      const framed = sql`',' || ${sql.ref("tags")} || ','`;
      const needle = `,${query.tag},`;
      select = select.where(
        this.#dialect === "postgres"
          ? sql<boolean>`strpos(${framed}, ${needle}) > 0`
          : sql<boolean>`instr(${framed}, ${needle}) > 0`,
      );
    }
    const order = query.order ?? "desc";
    const after = query.after;
    if (after !== undefined) {
      const beyond = order === "desc" ? "<" : ">";
      select = select.where((where) =>
        where.or([
          where("created_at", beyond, after.createdAt),
          where.and([where("created_at", "=", after.createdAt), where("id", beyond, after.id)]),
        ]),
      );
    }
    const rows = await select
      .orderBy("created_at", order)
      .orderBy("id", order)
      .limit(clampLimit(query.limit))
      .execute();
    return rows.map(toRecord);
  }

  async get(id: string): Promise<RequestLogRecord | undefined> {
    const row = await this.#db.selectFrom("request_logs").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? undefined : toRecord(row);
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
    policy: row.policy,
    attemptPath: row.attempt_path,
    endUser: row.end_user,
    cacheWriteTokens: row.cache_write_tokens,
    reasoningTokens: row.reasoning_tokens,
    usageEstimated: row.usage_estimated === true || row.usage_estimated === 1,
    costUsd: row.cost_usd,
    cacheSavingsUsd: row.cache_savings_usd,
    priceVersion: row.price_version,
    team: row.team,
    project: row.project,
    tags: row.tags,
    traceId: row.trace_id,
    attemptDetails:
      row.attempt_details === null ? null : (JSON.parse(row.attempt_details) as RequestLogAttempt[]),
    warnings: row.warnings,
  };
}
