import { afterEach, describe, expect, it, vi } from "vitest";
import { virtualKeyRecord } from "../../test/support/virtual-key-record.js";
import { hashKeySecret } from "../core/key-secret.js";
import type { KeyStore, VirtualKeyRecord } from "../core/ports/key-store.js";
import type { ProjectRecord, TeamRecord, TenancyStore } from "../core/ports/tenancy-store.js";
import { KeyCache, refreshOverlapMs } from "./key-cache.js";

function record(
  secret: string,
  updatedAt: number,
  overrides: Partial<VirtualKeyRecord> = {},
): VirtualKeyRecord {
  return virtualKeyRecord({ id: secret, keyHash: hashKeySecret(secret), updatedAt, ...overrides });
}

function fakeStore(rows: VirtualKeyRecord[], calls: number[]): KeyStore {
  const unused = () => Promise.reject(new Error("unused"));
  return {
    create: unused,
    list: async () => rows,
    get: unused,
    update: unused,
    rotate: unused,
    revoke: unused,
    listChangedSince: async (since) => {
      calls.push(since);
      return rows.filter((row) => row.updatedAt >= since);
    },
  };
}

function fakeTenancy(teams: TeamRecord[] = [], projects: ProjectRecord[] = []): TenancyStore {
  const unused = () => Promise.reject(new Error("unused"));
  return {
    createTeam: unused,
    listTeams: async () => teams,
    getTeam: unused,
    renameTeam: unused,
    deleteTeam: unused,
    createProject: unused,
    listProjects: async () => projects,
    getProject: unused,
    renameProject: unused,
    deleteProject: unused,
  };
}

function cacheOver(
  rows: VirtualKeyRecord[],
  calls: number[] = [],
  tenancy = fakeTenancy(),
  hashed: string[] = [],
): KeyCache {
  return new KeyCache({
    store: fakeStore(rows, calls),
    tenancy,
    masterKeyHash: hashKeySecret("sy-master"),
    refreshIntervalMs: 60_000,
    onRefreshError: () => undefined,
    hashSecret: (secret) => {
      hashed.push(secret);
      return hashKeySecret(secret);
    },
  });
}

describe("KeyCache", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("authenticates the master key, active keys, and nothing else", async () => {
    const cache = cacheOver([record("sy-alpha", 10), record("sy-gone", 11, { revokedAt: 11 })]);
    await cache.refresh();
    expect(cache.authenticate("sy-master")).toEqual({ kind: "master" });
    expect(cache.authenticate("sy-alpha")).toMatchObject({ kind: "virtual-key", key: { id: "sy-alpha" } });
    expect(cache.authenticate("sy-gone")).toBe("unknown");
    expect(cache.authenticate("sy-unknown")).toBe("unknown");
  });

  it("hashes a known secret once, an unknown one every time, and still applies a revocation to a known one", async () => {
    const rows = [record("sy-alpha", 10)];
    const hashed: string[] = [];
    const cache = cacheOver(rows, [], fakeTenancy(), hashed);
    await cache.refresh();
    for (let i = 0; i < 3; i += 1) {
      expect(cache.authenticate("sy-master")).toEqual({ kind: "master" });
      expect(cache.authenticate("sy-alpha")).toMatchObject({ key: { id: "sy-alpha" } });
      expect(cache.authenticate("sy-guess")).toBe("unknown");
    }
    expect(hashed).toEqual(["sy-master", "sy-alpha", "sy-guess", "sy-guess", "sy-guess"]);

    rows[0] = record("sy-alpha", 20, { revokedAt: 20 });
    await cache.refresh();
    expect(cache.authenticate("sy-alpha")).toBe("unknown");
    expect(hashed).toHaveLength(5);
  });

  it("re-reads a window before the newest row seen, and applies revocations", async () => {
    const t = 1_700_000_000_000;
    const rows = [record("sy-alpha", t)];
    const calls: number[] = [];
    const cache = cacheOver(rows, calls);
    await cache.refresh();
    rows[0] = record("sy-alpha", t + 20, { revokedAt: t + 20 });
    await cache.refresh();
    expect(calls).toEqual([0, t - refreshOverlapMs]);
    expect(cache.authenticate("sy-alpha")).toBe("unknown");
  });

  it("shares one query between concurrent refreshes", async () => {
    const calls: number[] = [];
    const cache = cacheOver([], calls);
    await Promise.all([cache.refresh(), cache.refresh(), cache.refresh()]);
    expect(calls).toHaveLength(1);
    await cache.refreshNow();
    expect(calls).toHaveLength(2);
  });

  it("refuses a key from its expiry on, by the clock, without a refresh", async () => {
    vi.useFakeTimers({ now: 1_000, toFake: ["Date"] });
    const cache = cacheOver([record("sy-timed", 10, { expiresAt: 2_000 })]);
    await cache.refresh();
    expect(cache.authenticate("sy-timed")).toMatchObject({ kind: "virtual-key" });
    vi.setSystemTime(1_999);
    expect(cache.authenticate("sy-timed")).toMatchObject({ kind: "virtual-key" });
    vi.setSystemTime(2_000);
    expect(cache.authenticate("sy-timed")).toBe("expired");
  });

  it("after a rotation accepts both secrets until the grace end, then only the new one", async () => {
    vi.useFakeTimers({ now: 1_000, toFake: ["Date"] });
    const rows = [record("sy-old", 10)];
    const cache = cacheOver(rows);
    await cache.refresh();
    rows[0] = record("sy-old", 20, {
      keyHash: hashKeySecret("sy-new"),
      previousKeyHash: hashKeySecret("sy-old"),
      previousKeyExpiresAt: 5_000,
    });
    await cache.refresh();
    expect(cache.authenticate("sy-new")).toMatchObject({ key: { id: "sy-old" } });
    expect(cache.authenticate("sy-old")).toMatchObject({ key: { id: "sy-old" } });
    vi.setSystemTime(5_000);
    expect(cache.authenticate("sy-old")).toBe("rotated");
    expect(cache.authenticate("sy-new")).toMatchObject({ key: { id: "sy-old" } });

    // A second rotation drops the first secret from the cache altogether.
    rows[0] = record("sy-old", 30, {
      keyHash: hashKeySecret("sy-newer"),
      previousKeyHash: hashKeySecret("sy-new"),
      previousKeyExpiresAt: 9_000,
    });
    await cache.refresh();
    expect(cache.authenticate("sy-old")).toBe("unknown");
    expect(cache.authenticate("sy-new")).toMatchObject({ key: { id: "sy-old" } });
    expect(cache.authenticate("sy-newer")).toMatchObject({ key: { id: "sy-old" } });
  });

  it("attributes keys to their team and project, and follows renames without the key changing", async () => {
    const teams: TeamRecord[] = [{ id: "t1", name: "search", createdAt: 1, updatedAt: 1 }];
    const projects: ProjectRecord[] = [
      { id: "p1", teamId: "t1", name: "ranker", createdAt: 1, updatedAt: 1 },
    ];
    const cache = cacheOver(
      [
        record("sy-project", 10, { teamId: "t1", projectId: "p1", userId: "ada" }),
        record("sy-tagged", 10, { metadata: { team: "search", project: "ranker" } }),
        record("sy-legacy", 10, { metadata: { team: "nobody", project: "nothing" } }),
      ],
      [],
      fakeTenancy(teams, projects),
    );
    await cache.refresh();
    const resolved = { teamId: "t1", teamName: "search", projectId: "p1", projectName: "ranker" };
    expect(cache.authenticate("sy-project")).toMatchObject({ attribution: { ...resolved, userId: "ada" } });
    expect(cache.authenticate("sy-tagged")).toMatchObject({ attribution: { ...resolved, userId: null } });
    expect(cache.authenticate("sy-legacy")).toMatchObject({
      attribution: {
        teamId: null,
        teamName: "nobody",
        projectId: null,
        projectName: "nothing",
        userId: null,
      },
    });
    teams[0] = { id: "t1", name: "retrieval", createdAt: 1, updatedAt: 2 };
    await cache.refresh();
    expect(cache.authenticate("sy-project")).toMatchObject({ attribution: { teamName: "retrieval" } });
  });
});
