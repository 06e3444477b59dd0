import { hash } from "node:crypto";
import canonicalize from "canonicalize";
import type { AuditCheckpoint, AuditEntry, AuditRecord, AuditRecordBody, JsonValue } from "./audit-record.js";

/** `prevHash` of record 1: 64 zeros, so every record, the first included, has the same shape. */
export const auditGenesisHash = "0".repeat(64);

/** RFC 8785 (JSON Canonicalization Scheme): sorted keys, no whitespace, ECMAScript number form. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error("audit: value has no JSON form");
  return text;
}

export function auditRecordBody(record: AuditRecordBody): AuditRecordBody {
  return {
    sequence: record.sequence,
    occurredAt: record.occurredAt,
    actor: { kind: record.actor.kind, id: record.actor.id, display: record.actor.display },
    action: record.action,
    target: record.target,
    reason: record.reason,
    before: record.before,
    after: record.after,
    requestId: record.requestId,
    prevHash: record.prevHash,
  };
}

/** hex SHA-256 of UTF-8 (`prevHash` + canonical JSON of the body without `hash`). */
export function auditRecordHash(body: AuditRecordBody): string {
  return hash("sha256", `${body.prevHash}${canonicalJson(auditRecordBody(body))}`, "hex");
}

/** Chains an entry after the record with `prevHash` at `sequence`. */
export function chainAuditEntry(
  entry: AuditEntry,
  sequence: number,
  prevHash: string,
  nowMs: number,
): AuditRecord {
  const body: AuditRecordBody = {
    sequence,
    occurredAt: entry.occurredAt ?? nowMs,
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    reason: entry.reason ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    requestId: entry.requestId ?? null,
    prevHash,
  };
  const normalised = auditRecordBody(body);
  return { ...normalised, hash: auditRecordHash(normalised) };
}

/** The bytes an Ed25519 checkpoint signature covers. */
export function auditCheckpointPayload(checkpoint: Omit<AuditCheckpoint, "signature">): Buffer {
  const payload: Record<string, JsonValue> = {
    sequence: checkpoint.sequence,
    hash: checkpoint.hash,
    createdAt: checkpoint.createdAt,
    keyId: checkpoint.keyId,
  };
  return Buffer.from(canonicalJson(payload), "utf8");
}
