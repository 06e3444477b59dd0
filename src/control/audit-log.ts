import type { AuditCheckpoint, AuditEntry, AuditRecord } from "../core/audit-record.js";
import type { AuditLogStore } from "../core/ports/audit-log-store.js";
import type { AuditSigner } from "./audit-signer.js";

export interface AuditLogOptions {
  readonly store: AuditLogStore;
  readonly signer: AuditSigner;
  /** A checkpoint is signed once this many records follow the latest one. */
  readonly checkpointEvery: number;
  /** ...or once the latest checkpoint is this old and records follow it; also the timer's period. */
  readonly checkpointIntervalMs: number;
  /** `recordLater` entries are written at most this long after being queued. */
  readonly flushIntervalMs?: number;
  readonly maxBatchSize?: number;
  readonly now?: () => number;
  /** Told about failures of background flushes and timed checkpoints; entries stay queued. */
  readonly onError?: (error: unknown) => void;
}

/**
 * The audit log as the rest of the gateway sees it. `record` writes at once (admin actions: rare, and the
 * caller should know it was recorded); `recordLater` queues (policy actions on the request path) and the queue
 * is written in batches.
 */
export class AuditLog {
  readonly #store: AuditLogStore;
  readonly #signer: AuditSigner;
  readonly #checkpointEvery: number;
  readonly #checkpointIntervalMs: number;
  readonly #flushIntervalMs: number;
  readonly #maxBatchSize: number;
  readonly #now: () => number;
  readonly #onError: (error: unknown) => void;
  #queue: AuditEntry[] = [];
  #flushing: Promise<void> | undefined;
  #flushTimer: NodeJS.Timeout | undefined;
  #checkpointTimer: NodeJS.Timeout | undefined;

  constructor(options: AuditLogOptions) {
    this.#store = options.store;
    this.#signer = options.signer;
    this.#checkpointEvery = options.checkpointEvery;
    this.#checkpointIntervalMs = options.checkpointIntervalMs;
    this.#flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.#maxBatchSize = options.maxBatchSize ?? 500;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ?? (() => undefined);
  }

  /** Entries queued by `recordLater` and not yet written. */
  get pending(): number {
    return this.#queue.length;
  }

  async record(entry: AuditEntry): Promise<AuditRecord> {
    const [record] = await this.#store.append([entry], this.#now());
    if (record === undefined) throw new Error("audit log: the store appended nothing");
    await this.#checkpointIfDue(record);
    return record;
  }

  /** Queues an entry without waiting; it is written within `flushIntervalMs`, or at once when a batch is full. */
  recordLater(entry: AuditEntry): void {
    this.#queue.push({ ...entry, occurredAt: entry.occurredAt ?? this.#now() });
    if (this.#queue.length >= this.#maxBatchSize) {
      this.flush().catch(this.#onError);
    } else if (this.#flushTimer === undefined) {
      this.#flushTimer = setTimeout(() => {
        this.#flushTimer = undefined;
        this.flush().catch(this.#onError);
      }, this.#flushIntervalMs);
      this.#flushTimer.unref();
    }
  }

  /** Writes every queued entry, in order. On failure the unwritten entries stay queued and it rejects. */
  flush(): Promise<void> {
    this.#flushing ??= this.#drain().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.slice(0, this.#maxBatchSize);
      const records = await this.#store.append(batch, this.#now());
      this.#queue = this.#queue.slice(batch.length);
      const last = records.at(-1);
      if (last !== undefined) await this.#checkpointIfDue(last);
    }
  }

  /** Signs a checkpoint of the latest record unless one exists for it; returns the new checkpoint. */
  async checkpoint(): Promise<AuditCheckpoint | undefined> {
    const latest = await this.#store.latest();
    if (latest === undefined) return undefined;
    const signed = this.#signer.sign({
      sequence: latest.sequence,
      hash: latest.hash,
      createdAt: this.#now(),
    });
    return (await this.#store.addCheckpoint(signed)) ? signed : undefined;
  }

  async #checkpointIfDue(latest: AuditRecord): Promise<void> {
    const previous = await this.#store.latestCheckpoint();
    const behind = latest.sequence - (previous?.sequence ?? 0);
    const age = previous === undefined ? Number.POSITIVE_INFINITY : this.#now() - previous.createdAt;
    if (behind >= this.#checkpointEvery || (behind > 0 && age >= this.#checkpointIntervalMs)) {
      await this.checkpoint();
    }
  }

  /** Long-running processes: signs a checkpoint every `checkpointIntervalMs` when records were added. */
  start(): void {
    this.#checkpointTimer ??= setInterval(() => {
      this.checkpoint().catch(this.#onError);
    }, this.#checkpointIntervalMs);
    this.#checkpointTimer.unref();
  }

  /** Writes what is queued and checkpoints the tail, so a clean stop leaves every record signed for. */
  async close(): Promise<void> {
    clearInterval(this.#checkpointTimer);
    clearTimeout(this.#flushTimer);
    this.#checkpointTimer = undefined;
    this.#flushTimer = undefined;
    await this.flush();
    await this.checkpoint();
  }
}
