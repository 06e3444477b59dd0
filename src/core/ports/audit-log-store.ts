import type { AuditCheckpoint, AuditEntry, AuditRecord } from "../audit-record.js";

/** Records in ascending sequence order; every bound is optional and inclusive unless said otherwise. */
export interface AuditRange {
  readonly fromSequence?: number;
  readonly toSequence?: number;
  /** Epoch ms on `occurredAt`, inclusive. */
  readonly sinceMs?: number;
  /** Epoch ms on `occurredAt`, exclusive. */
  readonly untilMs?: number;
  readonly limit?: number;
}

/**
 * The append-only, hash-chained audit log. Stores never update or delete; only tampering does, and
 * `verifyAuditLog` finds it.
 */
export interface AuditLogStore {
  /**
   * Chains `entries` in order after the latest record and stores them atomically. Appends are serialised
   * across every handle and process sharing the database, so the chain never forks.
   */
  append(entries: readonly AuditEntry[], nowMs: number): Promise<AuditRecord[]>;
  read(range: AuditRange): Promise<AuditRecord[]>;
  latest(): Promise<AuditRecord | undefined>;
  /** Stores a checkpoint; a second one for the same sequence is ignored (returns false). */
  addCheckpoint(checkpoint: AuditCheckpoint): Promise<boolean>;
  /** Checkpoints in ascending sequence order, optionally limited to `fromSequence..toSequence`. */
  checkpoints(range?: Pick<AuditRange, "fromSequence" | "toSequence">): Promise<AuditCheckpoint[]>;
  latestCheckpoint(): Promise<AuditCheckpoint | undefined>;
}
