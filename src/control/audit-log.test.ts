import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { auditGenesisHash, auditRecordHash, chainAuditEntry } from "../core/audit-chain.js";
import type { AuditCheckpoint, AuditEntry, AuditRecord } from "../core/audit-record.js";
import type { AuditLogStore, AuditRange } from "../core/ports/audit-log-store.js";
import { AuditLog } from "./audit-log.js";
import { createAuditSigner } from "./audit-signer.js";
import { verifyAuditLog } from "./verify-audit-log.js";

/** An array-backed store whose rows the tests tamper with directly, as an attacker with database access would. */
class ArrayAuditLogStore implements AuditLogStore {
  rows: AuditRecord[] = [];
  checkpointRows: AuditCheckpoint[] = [];
  appendCalls = 0;

  async append(entries: readonly AuditEntry[], nowMs: number): Promise<AuditRecord[]> {
    this.appendCalls += 1;
    const appended: AuditRecord[] = [];
    let last = this.rows.at(-1);
    for (const entry of entries) {
      const record = chainAuditEntry(entry, (last?.sequence ?? 0) + 1, last?.hash ?? auditGenesisHash, nowMs);
      appended.push(record);
      last = record;
    }
    this.rows.push(...appended);
    return appended;
  }
  async read(range: AuditRange): Promise<AuditRecord[]> {
    return this.rows
      .filter((row) => row.sequence >= (range.fromSequence ?? 0))
      .sort((a, b) => a.sequence - b.sequence)
      .slice(0, range.limit ?? 1000);
  }
  async latest(): Promise<AuditRecord | undefined> {
    return this.rows.at(-1);
  }
  async addCheckpoint(checkpoint: AuditCheckpoint): Promise<boolean> {
    if (this.checkpointRows.some((row) => row.sequence === checkpoint.sequence)) return false;
    this.checkpointRows.push(checkpoint);
    this.checkpointRows.sort((a, b) => a.sequence - b.sequence);
    return true;
  }
  async checkpoints(): Promise<AuditCheckpoint[]> {
    return [...this.checkpointRows];
  }
  async latestCheckpoint(): Promise<AuditCheckpoint | undefined> {
    return this.checkpointRows.at(-1);
  }
}

const keys = generateKeyPairSync("ed25519");
const signer = createAuditSigner(keys.privateKey);

function entry(n: number): AuditEntry {
  return {
    actor: { kind: "cli-user", id: "alice", display: "alice@host" },
    action: "key.create",
    target: `key:${n}`,
    after: { n },
  };
}

function setup(
  options: { checkpointEvery?: number; checkpointIntervalMs?: number; now?: () => number } = {},
) {
  const store = new ArrayAuditLogStore();
  const log = new AuditLog({
    store,
    signer,
    checkpointEvery: options.checkpointEvery ?? 3,
    checkpointIntervalMs: options.checkpointIntervalMs ?? 3_600_000,
    now: options.now ?? (() => 1_700_000_000_000),
  });
  return { store, log };
}

async function recorded(count: number, checkpointEvery = 3) {
  const context = setup({ checkpointEvery });
  for (let n = 1; n <= count; n += 1) await context.log.record(entry(n));
  return context;
}

function rehashFrom(rows: AuditRecord[], index: number): void {
  for (let at = index; at < rows.length; at += 1) {
    const row = rows[at];
    if (row === undefined) continue;
    const prevHash = at === 0 ? auditGenesisHash : (rows[at - 1]?.hash ?? auditGenesisHash);
    const body = { ...row, prevHash };
    rows[at] = { ...body, hash: auditRecordHash(body) };
  }
}

describe("AuditLog", () => {
  it("checkpoints the first record, then every N records, each signed for the latest hash", async () => {
    const { store } = await recorded(7);
    expect(store.checkpointRows.map((checkpoint) => checkpoint.sequence)).toEqual([1, 4, 7]);
    expect(store.checkpointRows[1]?.hash).toBe(store.rows[3]?.hash);
    expect(store.checkpointRows.every((checkpoint) => checkpoint.keyId === signer.keyId)).toBe(true);
  });

  it("checkpoints when the latest checkpoint is older than the interval, whatever the count", async () => {
    let now = 1_000_000;
    const { store, log } = setup({ checkpointEvery: 100, checkpointIntervalMs: 60_000, now: () => now });
    await log.record(entry(1));
    now += 59_999;
    await log.record(entry(2));
    now += 1;
    await log.record(entry(3));
    expect(store.checkpointRows.map((checkpoint) => checkpoint.sequence)).toEqual([1, 3]);
  });

  it("queues recordLater entries and writes them in order, in batches, on flush", async () => {
    const { store, log } = setup({ checkpointEvery: 1000 });
    for (let n = 1; n <= 5; n += 1) log.recordLater(entry(n));
    expect(store.rows).toHaveLength(0);
    expect(log.pending).toBe(5);
    await log.flush();
    expect(log.pending).toBe(0);
    expect(store.rows.map((row) => row.target)).toEqual(["key:1", "key:2", "key:3", "key:4", "key:5"]);
    expect(store.appendCalls).toBe(1);
    expect(store.rows[0]?.occurredAt).toBe(1_700_000_000_000);
  });

  it("keeps queued entries when a write fails, and writes them on the next flush", async () => {
    const { store, log } = setup();
    const append = store.append.bind(store);
    store.append = () => Promise.reject(new Error("database down"));
    log.recordLater(entry(1));
    await expect(log.flush()).rejects.toThrow("database down");
    expect(log.pending).toBe(1);
    store.append = append;
    await log.flush();
    expect(store.rows.map((row) => row.target)).toEqual(["key:1"]);
  });

  it("close writes the queue and checkpoints the tail", async () => {
    const { store, log } = setup({ checkpointEvery: 1000 });
    await log.record(entry(1));
    log.recordLater(entry(2));
    await log.close();
    expect(store.rows).toHaveLength(2);
    expect(store.checkpointRows.map((checkpoint) => checkpoint.sequence)).toEqual([1, 2]);
  });
});

describe("verifyAuditLog", () => {
  it("passes an intact log and summarises it", async () => {
    const { store } = await recorded(7);
    expect(await verifyAuditLog(store, signer.publicKey)).toEqual({
      problem: undefined,
      records: 7,
      lastSequence: 7,
      checkpoints: 3,
      lastCheckpointSequence: 7,
      keyId: signer.keyId,
    });
  });

  it("passes an empty log", async () => {
    const { store } = setup();
    expect((await verifyAuditLog(store, signer.publicKey)).problem).toBeUndefined();
  });

  it("names an edited record", async () => {
    const { store } = await recorded(6);
    store.rows[2] = { ...(store.rows[2] as AuditRecord), reason: "nothing to see" };
    expect((await verifyAuditLog(store, signer.publicKey)).problem).toMatchObject({
      sequence: 3,
      kind: "edited",
    });
  });

  it("names the first deleted record", async () => {
    const { store } = await recorded(6);
    store.rows.splice(2, 2);
    expect((await verifyAuditLog(store, signer.publicKey)).problem).toMatchObject({
      sequence: 3,
      kind: "deleted",
      reason: "records 3..4 are missing",
    });
  });

  it("names an inserted record, placed by renumbering the ones after it", async () => {
    const { store } = await recorded(6);
    const forged = chainAuditEntry(entry(99), 3, store.rows[1]?.hash ?? "", 0);
    const shifted = store.rows.slice(2).map((row) => ({ ...row, sequence: row.sequence + 1 }));
    store.rows = [...store.rows.slice(0, 2), forged, ...shifted];
    expect((await verifyAuditLog(store, signer.publicKey)).problem).toMatchObject({
      sequence: 3,
      kind: "inserted",
    });
  });

  it("names the first of two swapped records", async () => {
    const { store } = await recorded(6);
    const [third, fourth] = [store.rows[2] as AuditRecord, store.rows[3] as AuditRecord];
    store.rows[2] = { ...fourth, sequence: 3 };
    store.rows[3] = { ...third, sequence: 4 };
    expect((await verifyAuditLog(store, signer.publicKey)).problem).toMatchObject({
      sequence: 3,
      kind: "reordered",
    });
  });

  it("names a checkpoint with a forged signature, or signed by another key", async () => {
    const { store } = await recorded(6);
    const original = store.checkpointRows[1] as AuditCheckpoint;
    store.checkpointRows[1] = { ...original, createdAt: original.createdAt + 1 };
    expect((await verifyAuditLog(store, signer.publicKey)).problem).toMatchObject({
      sequence: 4,
      kind: "checkpoint-forged",
    });
    const other = generateKeyPairSync("ed25519");
    store.checkpointRows[1] = original;
    const verification = await verifyAuditLog(store, other.publicKey);
    expect(verification.problem).toMatchObject({ sequence: 1, kind: "checkpoint-forged" });
    expect(verification.problem?.reason).toContain(`names signing key ${signer.keyId}`);
  });

  it("catches a chain rewritten from an edited record by the checkpoint after it", async () => {
    const { store } = await recorded(7);
    store.rows[4] = { ...(store.rows[4] as AuditRecord), target: "key:someone-else" };
    rehashFrom(store.rows, 4);
    expect((await verifyAuditLog(store, signer.publicKey)).problem).toMatchObject({
      sequence: 5,
      kind: "rewritten",
    });
  });

  it("catches records removed from the end when a checkpoint covers them", async () => {
    const { store } = await recorded(7);
    store.rows.splice(5);
    expect((await verifyAuditLog(store, signer.publicKey)).problem).toMatchObject({
      sequence: 6,
      kind: "truncated",
    });
  });

  it("walks past one page of records", async () => {
    const { store, log } = setup({ checkpointEvery: 500 });
    for (let n = 1; n <= 2100; n += 1) log.recordLater(entry(n));
    await log.close();
    const intact = await verifyAuditLog(store, signer.publicKey);
    expect(intact).toMatchObject({ problem: undefined, records: 2100, lastCheckpointSequence: 2100 });
    store.rows[1500] = { ...(store.rows[1500] as AuditRecord), action: "key.revoke" };
    expect((await verifyAuditLog(store, signer.publicKey)).problem).toMatchObject({
      sequence: 1501,
      kind: "edited",
    });
  });
});
