import { describe, expect, it } from "vitest";
import { hashKeySecret } from "../core/key-secret.js";
import type { KeyStore, VirtualKeyRecord } from "../core/ports/key-store.js";
import { KeyCache } from "./key-cache.js";

function record(secret: string, updatedAt: number, revokedAt: number | null = null): VirtualKeyRecord {
  return {
    id: secret,
    name: secret,
    keyHash: hashKeySecret(secret),
    displayPrefix: secret.slice(0, 5),
    allowedModels: [],
    metadata: {},
    createdAt: 1,
    updatedAt,
    revokedAt,
  };
}

function fakeStore(rows: VirtualKeyRecord[], calls: number[]): KeyStore {
  return {
    create: () => Promise.reject(new Error("unused")),
    list: async () => rows,
    revoke: () => Promise.reject(new Error("unused")),
    listChangedSince: async (since) => {
      calls.push(since);
      return rows.filter((row) => row.updatedAt >= since);
    },
  };
}

describe("KeyCache", () => {
  it("authenticates the master key, active keys, and nothing else", async () => {
    const rows = [record("sy-alpha", 10), record("sy-gone", 11, 11)];
    const cache = new KeyCache({
      store: fakeStore(rows, []),
      masterKeyHash: hashKeySecret("sy-master"),
      refreshIntervalMs: 60_000,
      onRefreshError: () => undefined,
    });
    await cache.refresh();
    expect(cache.authenticate("sy-master")).toEqual({ kind: "master" });
    expect(cache.authenticate("sy-alpha")).toMatchObject({ kind: "virtual-key", key: { id: "sy-alpha" } });
    expect(cache.authenticate("sy-gone")).toBeUndefined();
    expect(cache.authenticate("sy-unknown")).toBeUndefined();
  });

  it("reads only changes since the newest row seen, inclusively, and applies revocations", async () => {
    const rows = [record("sy-alpha", 10)];
    const calls: number[] = [];
    const cache = new KeyCache({
      store: fakeStore(rows, calls),
      masterKeyHash: "",
      refreshIntervalMs: 60_000,
      onRefreshError: () => undefined,
    });
    await cache.refresh();
    rows[0] = record("sy-alpha", 20, 20);
    await cache.refresh();
    expect(calls).toEqual([0, 10]);
    expect(cache.authenticate("sy-alpha")).toBeUndefined();
  });

  it("shares one query between concurrent refreshes", async () => {
    const calls: number[] = [];
    const cache = new KeyCache({
      store: fakeStore([], calls),
      masterKeyHash: "",
      refreshIntervalMs: 60_000,
      onRefreshError: () => undefined,
    });
    await Promise.all([cache.refresh(), cache.refresh(), cache.refresh()]);
    expect(calls).toHaveLength(1);
  });
});
