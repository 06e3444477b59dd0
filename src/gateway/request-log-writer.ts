import type {
  EncodedRequestLogBatch,
  RequestLogRecord,
  RequestLogSink,
} from "../core/ports/request-log-store.js";
import { RequestLogBatchEncoder } from "../core/request-log-codec.js";

export interface RequestLogWriterOptions {
  readonly sink: RequestLogSink;
  readonly flushIntervalMs: number;
  readonly maxBatchSize: number;
  readonly maxQueueSize: number;
  readonly onFlushError: (error: unknown, rows: number) => void;
  readonly onDrop: (rows: number) => void;
}

/**
 * Encodes each request-log row the moment it is recorded (no row object outlives its request) and writes the
 * encoded batches off the request path: when a batch reaches `maxBatchSize` rows, and every `flushIntervalMs`.
 * A failed batch is kept and written first next time; past `maxQueueSize` queued rows new rows are dropped (and
 * counted) rather than letting a slow database grow memory or block requests.
 */
export class RequestLogWriter {
  readonly #options: RequestLogWriterOptions;
  readonly #encoder = new RequestLogBatchEncoder();
  readonly #sealed: EncodedRequestLogBatch[] = [];
  #sealedRows = 0;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  #flushScheduled = false;

  constructor(options: RequestLogWriterOptions) {
    this.#options = options;
  }

  start(): void {
    this.#timer = setInterval(() => void this.flush(), this.#options.flushIntervalMs);
    this.#timer.unref();
  }

  get queuedRows(): number {
    return this.#sealedRows + this.#encoder.rows;
  }

  record(row: RequestLogRecord): void {
    if (this.queuedRows >= this.#options.maxQueueSize) {
      this.#options.onDrop(1);
      return;
    }
    this.#encoder.append(row);
    if (this.#encoder.rows >= this.#options.maxBatchSize) {
      this.#seal();
      if (!this.#flushScheduled && this.#flushing === undefined) {
        this.#flushScheduled = true;
        setImmediate(() => {
          this.#flushScheduled = false;
          void this.flush();
        });
      }
    }
  }

  /** Writes everything recorded so far, batch by batch, stopping at a failure; concurrent calls share a write. */
  async flush(): Promise<void> {
    while (this.#flushing !== undefined) await this.#flushing;
    this.#seal();
    let batch = this.#sealed[0];
    while (batch !== undefined) {
      const current = batch;
      let written = false;
      this.#flushing = this.#options.sink
        .appendEncoded(current)
        .then(
          () => {
            written = true;
            this.#sealed.shift();
            this.#sealedRows -= current.rows;
          },
          // The failed batch stays first in line; the next timer tick retries it, so a database that is down is
          // not hammered.
          (error: unknown) => this.#options.onFlushError(error, current.rows),
        )
        .finally(() => {
          this.#flushing = undefined;
        });
      await this.#flushing;
      if (!written) return;
      batch = this.#sealed[0];
    }
  }

  /** Stops the timer and writes what is left, in as many batches as it takes. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    // Stops when a flush makes no progress (the sink keeps failing); flush has reported that failure.
    while (this.queuedRows > 0) {
      const before = this.queuedRows;
      await this.flush();
      if (this.queuedRows >= before) return;
    }
  }

  #seal(): void {
    if (this.#encoder.rows === 0) return;
    const batch = this.#encoder.take();
    this.#sealed.push(batch);
    this.#sealedRows += batch.rows;
  }
}
