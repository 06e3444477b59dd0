import type { KeyObject } from "node:crypto";
import { auditGenesisHash, auditRecordHash } from "../core/audit-chain.js";
import type { AuditCheckpoint, AuditRecord } from "../core/audit-record.js";
import type { AuditLogStore } from "../core/ports/audit-log-store.js";
import { auditKeyId, checkpointSignatureValid } from "./audit-signer.js";

/**
 * - `edited`: a record's content no longer matches its own hash.
 * - `deleted`: sequence numbers skip; the missing records were removed.
 * - `inserted`: a record chains to an earlier one than its predecessor; the records between were added.
 * - `reordered`: a record does not chain to its predecessor (moved, or an insertion that cannot be placed).
 * - `truncated`: a checkpoint vouches for records past the last one.
 * - `checkpoint-forged`: a checkpoint's signature does not verify with the public key.
 * - `rewritten`: the chain is consistent but differs from what a valid checkpoint signed: records were
 *   changed and every later hash recomputed.
 */
export type AuditTamperKind =
  | "edited"
  | "deleted"
  | "inserted"
  | "reordered"
  | "truncated"
  | "checkpoint-forged"
  | "rewritten";

export interface AuditProblem {
  /** The first record that is bad (or missing). */
  readonly sequence: number;
  readonly kind: AuditTamperKind;
  readonly reason: string;
}

export interface AuditVerification {
  readonly problem: AuditProblem | undefined;
  readonly records: number;
  readonly lastSequence: number;
  readonly checkpoints: number;
  /** The highest sequence a valid checkpoint covers; records after it are protected by the chain only. */
  readonly lastCheckpointSequence: number;
  readonly keyId: string;
}

const PAGE_SIZE = 1000;
/** How far back an `inserted` diagnosis looks for the record a chain break links to. */
const RECENT_HASHES = 10_000;

/**
 * Walks every record and checkpoint. Chain problems are exact and reported first, in sequence order; a
 * checkpoint that disagrees with a self-consistent chain (`rewritten`) is reported only when the chain has none.
 */
export async function verifyAuditLog(store: AuditLogStore, publicKey: KeyObject): Promise<AuditVerification> {
  const keyId = auditKeyId(publicKey);
  const checkpoints = new Map<number, AuditCheckpoint>();
  for (const checkpoint of await store.checkpoints()) checkpoints.set(checkpoint.sequence, checkpoint);
  const recent = new Map<string, number>([[auditGenesisHash, 0]]);
  let previous: AuditRecord | undefined;
  let records = 0;
  let lastGoodCheckpoint = 0;
  let rewritten: AuditProblem | undefined;
  const result = (problem: AuditProblem | undefined): AuditVerification => ({
    problem,
    records,
    lastSequence: previous?.sequence ?? 0,
    checkpoints: checkpoints.size,
    lastCheckpointSequence: lastGoodCheckpoint,
    keyId,
  });

  for (;;) {
    const page = await store.read({ fromSequence: (previous?.sequence ?? 0) + 1, limit: PAGE_SIZE });
    for (const record of page) {
      const problem = chainProblem(record, previous, recent);
      if (problem !== undefined) return result(problem);
      const checkpoint = checkpoints.get(record.sequence);
      if (checkpoint !== undefined) {
        if (!checkpointSignatureValid(checkpoint, publicKey)) return result(forged(checkpoint, keyId));
        if (checkpoint.hash !== record.hash) {
          rewritten ??= {
            sequence: lastGoodCheckpoint + 1,
            kind: "rewritten",
            reason:
              `the checkpoint signed for record ${record.sequence} names another hash: records ` +
              `${lastGoodCheckpoint + 1}..${record.sequence} were changed and the chain recomputed`,
          };
        } else if (rewritten === undefined) {
          lastGoodCheckpoint = record.sequence;
        }
      }
      recent.set(record.hash, record.sequence);
      if (recent.size > RECENT_HASHES) recent.delete(recent.keys().next().value ?? "");
      previous = record;
      records += 1;
    }
    if (page.length < PAGE_SIZE) break;
  }

  const lastSequence = previous?.sequence ?? 0;
  for (const checkpoint of checkpoints.values()) {
    if (checkpoint.sequence <= lastSequence) continue;
    if (!checkpointSignatureValid(checkpoint, publicKey)) return result(forged(checkpoint, keyId));
    return result({
      sequence: lastSequence + 1,
      kind: "truncated",
      reason: `a valid checkpoint vouches for record ${checkpoint.sequence}, but the log ends at ${lastSequence}`,
    });
  }
  return result(rewritten);
}

function chainProblem(
  record: AuditRecord,
  previous: AuditRecord | undefined,
  recent: ReadonlyMap<string, number>,
): AuditProblem | undefined {
  const expected = (previous?.sequence ?? 0) + 1;
  if (record.sequence !== expected) {
    const last = record.sequence - 1;
    return {
      sequence: expected,
      kind: "deleted",
      reason: `${expected === last ? `record ${expected} is` : `records ${expected}..${last} are`} missing`,
    };
  }
  const expectedPrevHash = previous?.hash ?? auditGenesisHash;
  if (record.prevHash !== expectedPrevHash) {
    const linked = recent.get(record.prevHash);
    if (linked !== undefined && linked < expected - 1) {
      const first = linked + 1;
      const last = expected - 1;
      return {
        sequence: first,
        kind: "inserted",
        reason:
          `record ${expected} chains to ${linked === 0 ? "the genesis hash" : `record ${linked}`}, so ` +
          `${first === last ? `record ${first} was` : `records ${first}..${last} were`} inserted`,
      };
    }
    return {
      sequence: expected,
      kind: "reordered",
      reason: `record ${expected} does not chain to ${expected === 1 ? "the genesis hash" : `record ${expected - 1}`}: records were reordered or inserted`,
    };
  }
  if (auditRecordHash(record) !== record.hash) {
    return {
      sequence: expected,
      kind: "edited",
      reason: `record ${expected} does not match its hash: it was edited`,
    };
  }
  return undefined;
}

function forged(checkpoint: AuditCheckpoint, keyId: string): AuditProblem {
  return {
    sequence: checkpoint.sequence,
    kind: "checkpoint-forged",
    reason:
      checkpoint.keyId === keyId
        ? `the checkpoint for record ${checkpoint.sequence} has an invalid signature`
        : `the checkpoint for record ${checkpoint.sequence} names signing key ${checkpoint.keyId}, not ${keyId}`,
  };
}
