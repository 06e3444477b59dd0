import type { RequestLogRecord, RequestLogStore } from "../core/ports/request-log-store.js";

export interface RequestLogWriterOptions {
  readonly store: RequestLogStore;
  readonly flushIntervalMs: number;
  readonly maxBatchSize: number;
  readonly maxQueueSize: number;
  readonly onFlushError: (error: unknown, rows: number) => void;
  readonly onDrop: (rows: number) => void;
}

/**
 * Keeps request-log rows in memory and writes them in batches off the request path. A failed batch is kept
 * and written with the next one; past `maxQueueSize` rows new rows are dropped (and counted) rather than
 * letting a slow database grow memory or block requests.
 */
export class RequestLogWriter {
  readonly #options: RequestLogWriterOptions;
  #queue: RequestLogRecord[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;

  constructor(options: RequestLogWriterOptions) {
    this.#options = options;
  }

  start(): void {
    this.#timer = setInterval(() => void this.flush(), this.#options.flushIntervalMs);
    this.#timer.unref();
  }

  get queuedRows(): number {
    return this.#queue.length;
  }

  record(row: RequestLogRecord): void {
    if (this.#queue.length >= this.#options.maxQueueSize) {
      this.#options.onDrop(1);
      return;
    }
    this.#queue.push(row);
    if (this.#queue.length >= this.#options.maxBatchSize && this.#flushing === undefined) {
      setImmediate(() => void this.flush());
    }
  }

  /** Writes everything queued so far; concurrent calls wait for the same write. */
  async flush(): Promise<void> {
    while (this.#flushing !== undefined) await this.#flushing;
    if (this.#queue.length === 0) return;
    const batch = this.#queue.slice(0, this.#options.maxBatchSize);
    this.#flushing = this.#options.store
      .appendBatch(batch)
      .then(
        () => {
          this.#queue.splice(0, batch.length);
        },
        (error: unknown) => this.#options.onFlushError(error, batch.length),
      )
      .finally(() => {
        this.#flushing = undefined;
      });
    await this.#flushing;
    if (this.#queue.length >= this.#options.maxBatchSize) setImmediate(() => void this.flush());
  }

  /** Stops the timer and writes what is left, in as many batches as it takes. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    // Stops when a flush makes no progress (the store keeps failing); flush has reported that failure.
    while (this.#queue.length > 0) {
      const before = this.#queue.length;
      await this.flush();
      if (this.#queue.length >= before) return;
    }
  }
}
