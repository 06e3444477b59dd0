import { afterEach, describe, expect, it, vi } from "vitest";
import type { AuditActor, AuditEntry } from "../core/audit-record.js";
import type { KeyStore, NewVirtualKey, VirtualKeyRecord } from "../core/ports/key-store.js";
import { KeyService } from "./key-service.js";

class ArrayKeyStore implements KeyStore {
  readonly keys: VirtualKeyRecord[] = [];
  async create(key: NewVirtualKey): Promise<VirtualKeyRecord> {
    const record = { ...key, updatedAt: key.createdAt, revokedAt: null };
    this.keys.push(record);
    return record;
  }
  async list(): Promise<VirtualKeyRecord[]> {
    return [...this.keys];
  }
  async listChangedSince(sinceMs: number): Promise<VirtualKeyRecord[]> {
    return this.keys.filter((key) => key.updatedAt >= sinceMs);
  }
  async revoke(idOrPrefix: string, atMs: number): Promise<VirtualKeyRecord | undefined> {
    const index = this.keys.findIndex((key) => key.id === idOrPrefix);
    const key = this.keys[index];
    if (key === undefined || key.revokedAt !== null) return key;
    const revoked = { ...key, revokedAt: atMs, updatedAt: atMs };
    this.keys[index] = revoked;
    return revoked;
  }
}

const actor: AuditActor = { kind: "cli-user", id: "alice", display: "alice@host" };

function setup(record: (entry: AuditEntry) => Promise<unknown> = async () => undefined) {
  const entries: AuditEntry[] = [];
  const store = new ArrayKeyStore();
  const service = new KeyService(store, {
    actor,
    log: {
      record: (entry) => {
        entries.push(entry);
        return record(entry);
      },
    },
  });
  return { entries, service };
}

describe("KeyService auditing", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("records key.create and key.revoke by the actor with the hash prefix, never the secret", async () => {
    const { entries, service } = setup();
    const { record, secret } = await service.create({ name: "search", allowedModels: ["gpt-4o"] });
    await service.revoke(record.id);
    expect(entries.map((entry) => [entry.action, entry.target, entry.actor])).toEqual([
      ["key.create", `key:${record.id}`, actor],
      ["key.revoke", `key:${record.id}`, actor],
    ]);
    expect(entries[0]?.after).toMatchObject({ name: "search", keyHashPrefix: record.keyHash.slice(0, 12) });
    expect(entries[1]?.before).toMatchObject({ revokedAt: null });
    expect(entries[1]?.after).toMatchObject({ revokedAt: expect.any(Number) });
    const text = JSON.stringify(entries);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(record.displayPrefix);
    expect(text).not.toContain(record.keyHash);
  });

  it("records nothing when a later revoke changes nothing", async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000, toFake: ["Date"] });
    const { entries, service } = setup();
    const { record } = await service.create({ name: "once" });
    await service.revoke(record.id);
    vi.setSystemTime(1_700_000_000_001);
    await service.revoke(record.id);
    await service.revoke("unknown");
    expect(entries.map((entry) => entry.action)).toEqual(["key.create", "key.revoke"]);
  });

  it("says the change was applied when only its audit record failed", async () => {
    const { service } = setup(() => Promise.reject(new Error("database is locked")));
    await expect(service.create({ name: "x" })).rejects.toThrow(
      /key\.create of key .+ was applied, but its audit record failed: database is locked/,
    );
  });
});
