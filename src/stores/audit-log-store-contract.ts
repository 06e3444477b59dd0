import { describe, expect, it } from "vitest";
import { auditGenesisHash, auditRecordHash } from "../core/audit-chain.js";
import type { AuditCheckpoint, AuditEntry, AuditRecord } from "../core/audit-record.js";
import type { Storage } from "../core/ports/storage.js";

const T0 = 1_700_000_000_000;

export function makeAuditEntry(n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    actor: { kind: "cli-user", id: "alice", display: "alice@host" },
    action: "key.create",
    target: `key:${n}`,
    occurredAt: T0 + n * 1000,
    after: { name: `key ${n}` },
    ...overrides,
  };
}

function withoutTime({ occurredAt: _ignored, ...entry }: AuditEntry): AuditEntry {
  return entry;
}

function expectIntactChain(records: readonly AuditRecord[]): void {
  let prevHash = auditGenesisHash;
  records.forEach((record, index) => {
    expect(record.sequence).toBe(index + 1);
    expect(record.prevHash).toBe(prevHash);
    expect(record.hash).toBe(auditRecordHash(record));
    prevHash = record.hash;
  });
}

function checkpointAt(sequence: number, hash: string): AuditCheckpoint {
  return {
    sequence,
    hash,
    createdAt: T0 + sequence,
    keyId: "0123456789abcdef",
    signature: `sig-${sequence}`,
  };
}

/**
 * AuditLogStore part of the storage contract. `openShared`, for durable targets, opens a second handle on one
 * location, to check that two writers never fork the chain.
 */
export function describeAuditLogStoreContract(
  openFresh: () => Promise<Storage>,
  openShared: (() => Promise<[Storage, Storage]>) | undefined,
): void {
  describe("audit log", () => {
    it("chains records from the genesis hash and round-trips every field exactly", async () => {
      const { audit } = await openFresh();
      expect(await audit.latest()).toBeUndefined();
      const first = makeAuditEntry(1, {
        reason: "onboarding «team» 🔑",
        before: null,
        after: { nested: { list: [1, 2.5, -0.125, 1e21, "ключ"], flag: true, none: null }, z: 1, a: 2 },
        requestId: "req_1",
      });
      const [one] = await audit.append([first], T0);
      const [two, three] = await audit.append(
        [makeAuditEntry(2), withoutTime(makeAuditEntry(3))],
        T0 + 9_000,
      );
      expect(one).toEqual({
        sequence: 1,
        occurredAt: T0 + 1000,
        actor: { kind: "cli-user", id: "alice", display: "alice@host" },
        action: "key.create",
        target: "key:1",
        reason: "onboarding «team» 🔑",
        before: null,
        after: { nested: { list: [1, 2.5, -0.125, 1e21, "ключ"], flag: true, none: null }, z: 1, a: 2 },
        requestId: "req_1",
        prevHash: auditGenesisHash,
        hash: one?.hash,
      });
      expect(two).toMatchObject({ sequence: 2, reason: null, before: null, requestId: null });
      expect(three?.occurredAt).toBe(T0 + 9_000);
      const stored = await audit.read({});
      expect(stored).toEqual([one, two, three]);
      expectIntactChain(stored);
      expect(await audit.latest()).toEqual(three);
    });

    it("reads by sequence range, by time range and with a limit, always in sequence order", async () => {
      const { audit } = await openFresh();
      await audit.append(
        [1, 2, 3, 4, 5, 6].map((n) => makeAuditEntry(n)),
        T0,
      );
      const sequences = async (range: Parameters<typeof audit.read>[0]) =>
        (await audit.read(range)).map((record) => record.sequence);
      expect(await sequences({ fromSequence: 2, toSequence: 4 })).toEqual([2, 3, 4]);
      expect(await sequences({ sinceMs: T0 + 3000, untilMs: T0 + 5000 })).toEqual([3, 4]);
      expect(await sequences({ fromSequence: 3, limit: 2 })).toEqual([3, 4]);
      expect(await sequences({ fromSequence: 7 })).toEqual([]);
    });

    it("appends nothing when a batch fails part-way, and the chain goes on from where it was", async () => {
      const { audit } = await openFresh();
      await audit.append([makeAuditEntry(1)], T0);
      await expect(
        audit.append([makeAuditEntry(2), makeAuditEntry(3, { after: { bad: Number.NaN } })], T0),
      ).rejects.toThrow();
      await audit.append([makeAuditEntry(4)], T0);
      const stored = await audit.read({});
      expect(stored.map((record) => record.target)).toEqual(["key:1", "key:4"]);
      expectIntactChain(stored);
    });

    it("never forks the chain under concurrent appends on one handle", async () => {
      const { audit } = await openFresh();
      const batches = Array.from({ length: 20 }, (_, index) => [
        makeAuditEntry(index * 2),
        makeAuditEntry(index * 2 + 1),
      ]);
      const results = await Promise.all(batches.map((batch) => audit.append(batch, T0)));
      for (const [first, second] of results) expect(second?.sequence).toBe((first?.sequence ?? 0) + 1);
      const stored = await audit.read({});
      expect(stored).toHaveLength(40);
      expectIntactChain(stored);
    });

    if (openShared !== undefined) {
      it("never forks the chain when two handles append at once", async () => {
        const [left, right] = await openShared();
        const appends = Array.from({ length: 15 }, (_, index) => [
          left.audit.append([makeAuditEntry(index, { target: `left:${index}` })], T0),
          right.audit.append([makeAuditEntry(index, { target: `right:${index}` })], T0),
        ]).flat();
        await Promise.all(appends);
        const stored = await left.audit.read({});
        expect(stored).toHaveLength(30);
        expectIntactChain(stored);
        expect(await right.audit.read({})).toEqual(stored);
      });
    }

    it("keeps one checkpoint per sequence and lists them in order, by range and the latest", async () => {
      const { audit } = await openFresh();
      expect(await audit.latestCheckpoint()).toBeUndefined();
      expect(await audit.addCheckpoint(checkpointAt(5, "h5"))).toBe(true);
      expect(await audit.addCheckpoint(checkpointAt(2, "h2"))).toBe(true);
      expect(await audit.addCheckpoint({ ...checkpointAt(5, "other"), signature: "x" })).toBe(false);
      expect(await audit.addCheckpoint(checkpointAt(9, "h9"))).toBe(true);
      expect(await audit.checkpoints()).toEqual([
        checkpointAt(2, "h2"),
        checkpointAt(5, "h5"),
        checkpointAt(9, "h9"),
      ]);
      expect(await audit.checkpoints({ fromSequence: 3, toSequence: 9 })).toEqual([
        checkpointAt(5, "h5"),
        checkpointAt(9, "h9"),
      ]);
      expect(await audit.latestCheckpoint()).toEqual(checkpointAt(9, "h9"));
    });
  });
}
