/** One row per request. Bodies are never part of it. */
export interface RequestLogRecord {
  readonly id: string;
  /** Epoch milliseconds when the request arrived. */
  readonly createdAt: number;
  readonly keyId: string | null;
  readonly endpoint: string;
  readonly modelRequested: string | null;
  /** `provider/upstream-model` that served (or last failed) the request. */
  readonly target: string | null;
  readonly status: number;
  readonly stream: boolean;
  readonly latencyMs: number;
  /** Time to first token for streams, time to full response otherwise; null when nothing arrived. */
  readonly ttftMs: number | null;
  readonly overheadMs: number;
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly cachedTokens: number | null;
  readonly errorCode: string | null;
  readonly attempts: number;
  /**
   * What safety policies did, as counts per detector family and action (`pii.mask:3,secrets.block:1`); never a
   * detected value. Null (or absent) when no policy acted.
   */
  readonly policy?: string | null;
  /**
   * Every upstream attempt when there was more than one or one failed, in order: reason (first, retry,
   * fallback), target, status or `-`, failure class, duration; `skipped open-circuit` for breaker skips. E.g.
   * `first mock/a 429 rate-limited 12ms > fallback backup/b 200 30ms`. Null (or absent) for a single clean attempt.
   */
  readonly attemptPath?: string | null;
  /**
   * The end user (`x-switchyard-user` header or the body's `user`), as a SHA-256 hash prefix, never the id
   * itself; null (or absent) when the request named none.
   */
  readonly endUser?: string | null;
  /** Prompt tokens written to the provider's cache. */
  readonly cacheWriteTokens?: number | null;
  /** Output tokens spent on reasoning (included in `outputTokens`). */
  readonly reasoningTokens?: number | null;
  /** True when the gateway counted the tokens because the provider reported none. */
  readonly usageEstimated?: boolean;
  /** USD, from the price in force when the request arrived; null when the model has no price. */
  readonly costUsd?: number | null;
  /** USD the cached-read tokens saved against the input price. */
  readonly cacheSavingsUsd?: number | null;
  /** The price catalog version that priced the row, or `config` for a configured price. */
  readonly priceVersion?: string | null;
  /** Attribution at request time: the caller's team and project, and `name=value` tags sorted by name. */
  readonly team?: string | null;
  readonly project?: string | null;
  readonly tags?: string | null;
  /** The OpenTelemetry trace id (32 hex digits) when the request was traced and sampled. */
  readonly traceId?: string | null;
  /** Every upstream attempt in order (failed ones first, then the one that answered). */
  readonly attemptDetails?: readonly RequestLogAttempt[] | null;
  /** What a cross-dialect translation dropped or changed (`; `-separated, as in `x-switchyard-warnings`). */
  readonly warnings?: string | null;
}

/** One upstream attempt as the request log keeps it. */
export interface RequestLogAttempt {
  /** `provider/upstream-model`. */
  readonly target: string;
  /** The upstream's HTTP status; null when none came (connection failure, timeout). */
  readonly status: number | null;
  readonly errorCode: string | null;
  readonly durationMs: number;
}

/** Where a page ended: the next page starts after this row (in the query's order). */
export interface RequestLogCursor {
  readonly createdAt: number;
  readonly id: string;
}

export interface RequestLogQuery {
  /** Epoch ms, inclusive. */
  readonly sinceMs?: number;
  /** Epoch ms, exclusive. */
  readonly untilMs?: number;
  /** Exact status, or a class: 200 means exactly 200; statusClass 5 means 500–599. */
  readonly status?: number;
  readonly statusClass?: number;
  readonly keyId?: string;
  readonly model?: string;
  readonly team?: string;
  readonly project?: string;
  /** `provider/upstream-model` that served (or last failed) the request. */
  readonly target?: string;
  /** Requests at least this slow (ms). */
  readonly minLatencyMs?: number;
  readonly traceId?: string;
  /** Priced requests costing at least this much (USD); unpriced rows never match. */
  readonly minCostUsd?: number;
  /** One `name=value` attribution tag the row carries exactly (not a prefix or substring of another pair). */
  readonly tag?: string;
  /** The hashed end user, as stored in `endUser`. */
  readonly endUser?: string;
  /** Rows after this one in the query's order (keyset pagination). */
  readonly after?: RequestLogCursor;
  /** Newest first when omitted; `asc` for tailing. */
  readonly order?: "asc" | "desc";
  readonly limit?: number;
}

export interface RequestLogStore extends RequestLogSink {
  /** Appends a batch atomically (one transaction). */
  appendBatch(records: readonly RequestLogRecord[]): Promise<void>;
  query(query: RequestLogQuery): Promise<RequestLogRecord[]>;
  /** One row by id; undefined when there is none. */
  get(id: string): Promise<RequestLogRecord | undefined>;
}

/** Request-log rows in the compact binary form of `core/request-log-codec.ts`: `bytes` holds exactly `rows` rows. */
export interface EncodedRequestLogBatch {
  readonly bytes: ArrayBuffer;
  readonly rows: number;
}

/** Where the gateway's request-log writer hands encoded batches (see `request-log-codec.ts`). */
export interface RequestLogSink {
  /** Writes one batch atomically; rejects (and may be called again with the same batch) on failure. */
  appendEncoded(batch: EncodedRequestLogBatch): Promise<void>;
}
