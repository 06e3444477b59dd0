import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  auditCheckpointPayload,
  auditGenesisHash,
  auditRecordHash,
  canonicalJson,
  chainAuditEntry,
} from "./audit-chain.js";
import type { AuditEntry, AuditRecord } from "./audit-record.js";

const entry: AuditEntry = {
  actor: { kind: "cli-user", id: "alice", display: "alice@host" },
  action: "key.create",
  target: "key:k1",
  after: { name: "search", models: [] },
  occurredAt: 1_700_000_000_000,
};

describe("canonicalJson (RFC 8785)", () => {
  it("sorts keys by UTF-16 code units at every depth and drops whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 0, y: 1 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":1,"z":0}]},"b":1}',
    );
    // RFC 8785 §3.2.3 sorts "€" (U+20AC) before "😂" (U+D83D U+DE02) and after "\r" and "1".
    expect(canonicalJson({ "😂": 1, "€": 2, "\r": 3, "1": 4 })).toBe('{"\\r":3,"1":4,"€":2,"😂":1}');
  });

  it("writes numbers in their shortest ECMAScript form", () => {
    expect(canonicalJson([1e21, 1e-7, 0.000001, -0, Number("333333333.33333329"), 4.5, 2 ** 53])).toBe(
      "[1e+21,1e-7,0.000001,0,333333333.3333333,4.5,9007199254740992]",
    );
  });

  it("escapes only what JSON requires and keeps other characters literal", () => {
    expect(canonicalJson('\u0007 \u001f " \\ / é ключ')).toBe('"\\u0007 \\u001f \\" \\\\ / é ключ"');
  });

  it("refuses values with no canonical form", () => {
    expect(() => canonicalJson(Number.NaN)).toThrow();
    expect(() => canonicalJson(Number.POSITIVE_INFINITY)).toThrow();
    expect(() => canonicalJson(undefined)).toThrow();
  });
});

describe("the audit chain", () => {
  it("hashes prevHash followed by the canonical body, with absent optionals as null", () => {
    const record = chainAuditEntry(entry, 1, auditGenesisHash, 5);
    const canonicalBody =
      '{"action":"key.create","actor":{"display":"alice@host","id":"alice","kind":"cli-user"},' +
      '"after":{"models":[],"name":"search"},"before":null,"occurredAt":1700000000000,' +
      `"prevHash":"${auditGenesisHash}","reason":null,"requestId":null,"sequence":1,"target":"key:k1"}`;
    expect(record.hash).toBe(
      createHash("sha256")
        .update(auditGenesisHash + canonicalBody, "utf8")
        .digest("hex"),
    );
    expect(auditRecordHash(record)).toBe(record.hash);
  });

  it("uses the entry's time when it has one, the recording time otherwise", () => {
    expect(chainAuditEntry(entry, 1, auditGenesisHash, 5).occurredAt).toBe(1_700_000_000_000);
    const { occurredAt: _ignored, ...untimed } = entry;
    expect(chainAuditEntry(untimed, 1, auditGenesisHash, 5).occurredAt).toBe(5);
  });

  it("changes the hash when any field, the position or the predecessor changes", () => {
    const record = chainAuditEntry(entry, 3, "a".repeat(64), 0);
    const variants = [
      { ...record, reason: "" },
      { ...record, sequence: 4 },
      { ...record, prevHash: "b".repeat(64) },
      { ...record, actor: { ...record.actor, display: "mallory" } },
      { ...record, after: { name: "search", models: ["x"] } },
      { ...record, occurredAt: record.occurredAt + 1 },
    ];
    for (const variant of variants) expect(auditRecordHash(variant)).not.toBe(record.hash);
  });

  it("ignores extra properties such as a stored hash when hashing", () => {
    const record = chainAuditEntry(entry, 1, auditGenesisHash, 0);
    const stored: AuditRecord = { ...record, hash: "anything" };
    expect(auditRecordHash(stored)).toBe(record.hash);
  });

  it("signs checkpoints over the canonical JSON of sequence, hash, time and key id", () => {
    const payload = auditCheckpointPayload({ sequence: 7, hash: "ab", createdAt: 9, keyId: "k" });
    expect(payload.toString("utf8")).toBe('{"createdAt":9,"hash":"ab","keyId":"k","sequence":7}');
  });
});
