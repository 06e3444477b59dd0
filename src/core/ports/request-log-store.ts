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
  /** What a cross-dialect translation dropped or changed (`; `-separated, as in `x-switchyard-warnings`). */
  readonly warnings?: string | null;
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
  /** Newest first when omitted; `asc` for tailing. */
  readonly order?: "asc" | "desc";
  readonly limit?: number;
}

export interface RequestLogStore {
  /** Appends a batch atomically (one transaction). */
  appendBatch(records: readonly RequestLogRecord[]): Promise<void>;
  query(query: RequestLogQuery): Promise<RequestLogRecord[]>;
}
