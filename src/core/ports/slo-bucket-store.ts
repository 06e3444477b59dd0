/** Good and total request counts of one SLO in one minute. */
export interface SloBucketRow {
  readonly slo: string;
  /** Epoch milliseconds of the minute's start (a multiple of 60 000). */
  readonly minuteStart: number;
  readonly good: number;
  readonly total: number;
}

/** Per-minute SLO counts kept so a restart (or another node) keeps the compliance window. */
export interface SloBucketStore {
  /** Adds each row's counts to the stored row of the same SLO and minute (creating it), in one transaction. */
  addBatch(rows: readonly SloBucketRow[]): Promise<void>;
  /** Rows with `minuteStart >= sinceMs` (all SLOs), oldest first. */
  query(sinceMs: number): Promise<SloBucketRow[]>;
  /** Deletes rows older than `beforeMs`; returns how many. */
  deleteBefore(beforeMs: number): Promise<number>;
}
