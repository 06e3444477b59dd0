import { describe, expect, it } from "vitest";
import type { RequestLogQuery, RequestLogRecord, RequestLogStore } from "../core/ports/request-log-store.js";
import type { Storage } from "../core/ports/storage.js";
import { encodeRequestLogBatch } from "../core/request-log-codec.js";

const T0 = 1_700_000_000_000;

export function makeLog(overrides: Partial<RequestLogRecord> = {}): RequestLogRecord {
  return {
    id: "log",
    createdAt: T0,
    keyId: "key_1",
    endpoint: "/v1/chat/completions",
    modelRequested: "gpt-4o",
    target: "openai/gpt-4o-2024-08-06",
    status: 200,
    stream: false,
    latencyMs: 812,
    ttftMs: 95,
    overheadMs: 0.375,
    inputTokens: 120,
    outputTokens: 48,
    cachedTokens: 0,
    errorCode: null,
    attempts: 1,
    policy: null,
    attemptPath: null,
    endUser: null,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    usageEstimated: false,
    costUsd: 0.000_78,
    cacheSavingsUsd: 0,
    priceVersion: "2026-11-01",
    team: "search",
    project: "ranker",
    tags: "env=prod,feature=search",
    traceId: null,
    attemptDetails: null,
    warnings: null,
    ...overrides,
  };
}

/** Logs `log_000`…, one per second from T0, cycling statuses, keys and models. */
function makeLogs(count: number): RequestLogRecord[] {
  const statuses = [200, 201, 404, 429, 500, 502, 503];
  return Array.from({ length: count }, (_, i) =>
    makeLog({
      id: `log_${String(i).padStart(3, "0")}`,
      createdAt: T0 + i * 1000,
      status: statuses[i % statuses.length] ?? 200,
      keyId: i % 3 === 0 ? null : `key_${i % 3}`,
      modelRequested: i % 2 === 0 ? "gpt-4o" : "claude-sonnet",
    }),
  );
}

/** RequestLogStore part of the storage contract; `openFresh` gives an empty storage closed after each test. */
export function describeRequestLogStoreContract(openFresh: () => Promise<Storage>): void {
  describe("request logs", () => {
    const ids = (records: readonly RequestLogRecord[]) => records.map((record) => record.id);
    const seeded = async (count: number) => {
      const storage = await openFresh();
      const logs = makeLogs(count);
      await storage.requestLogs.appendBatch(logs);
      const query = async (q: RequestLogQuery) => ids(await storage.requestLogs.query(q));
      return { storage, logs, query };
    };

    const appendWays = {
      appendBatch: (store: RequestLogStore, records: RequestLogRecord[]) => store.appendBatch(records),
      // The writer thread's path: rows encoded as the gateway encodes them, decoded by the store.
      appendEncoded: (store: RequestLogStore, records: RequestLogRecord[]) =>
        store.appendEncoded(encodeRequestLogBatch(records)),
    };

    it.each(Object.keys(appendWays) as (keyof typeof appendWays)[])(
      "round-trips every field through %s, including nulls, booleans and fractional durations",
      async (way) => {
        const { requestLogs } = await openFresh();
        const full = makeLog({
          id: "full",
          stream: true,
          latencyMs: 1234.5,
          ttftMs: 0.25,
          errorCode: "X",
          policy: "pii.mask:2,secrets.would-block:1",
          attemptPath: "first mock/a 429 rate-limited 12ms > fallback backup/b 200 30ms",
          endUser: "2bd806c97f0e00af",
          cacheWriteTokens: 2048,
          reasoningTokens: 512,
          usageEstimated: true,
          costUsd: 0.012_345_678_9,
          cacheSavingsUsd: 0.000_5,
          traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
          team: "search",
          project: "ranker",
          attemptDetails: [
            { target: "mock/primary", status: 503, errorCode: "GW_ERR_UPSTREAM_ERROR", durationMs: 12.5 },
            { target: "backup/model", status: null, errorCode: "GW_ERR_UPSTREAM_TIMEOUT", durationMs: 0.25 },
          ],
          warnings: "top_k has no OpenAI equivalent; dropped",
        });
        const sparse = makeLog({
          id: "sparse",
          createdAt: T0 + 1,
          keyId: null,
          modelRequested: null,
          target: null,
          status: 400,
          ttftMs: null,
          inputTokens: null,
          outputTokens: null,
          cachedTokens: null,
          errorCode: "GW_ERR_REQUEST_INVALID_JSON",
          attempts: 0,
          cacheWriteTokens: null,
          reasoningTokens: null,
          costUsd: null,
          cacheSavingsUsd: null,
          priceVersion: null,
          team: null,
          project: null,
          tags: null,
        });
        await appendWays[way](requestLogs, [full, sparse]);
        const stored = await requestLogs.query({});
        expect(stored).toEqual([sparse, full]);
        expect(typeof stored[0]?.createdAt).toBe("number");
        expect(stored[1]?.stream).toBe(true);
        expect(stored[0]?.stream).toBe(false);
      },
    );

    it("pages forward after a (createdAt, id) cursor", async () => {
      const { storage, query } = await seeded(5);
      await storage.requestLogs.appendBatch([makeLog({ id: "a_tie", createdAt: T0 + 2000 })]);
      expect(await query({ order: "asc", after: { createdAt: T0 + 1000, id: "log_001" } })).toEqual([
        "a_tie",
        "log_002",
        "log_003",
        "log_004",
      ]);
      expect(await query({ order: "asc", limit: 2, after: { createdAt: T0 + 2000, id: "a_tie" } })).toEqual([
        "log_002",
        "log_003",
      ]);
    });

    it.each(Object.keys(appendWays) as (keyof typeof appendWays)[])(
      "treats an empty batch as a no-op (%s)",
      async (way) => {
        const { requestLogs } = await openFresh();
        await expect(appendWays[way](requestLogs, [])).resolves.toBeUndefined();
        expect(await requestLogs.query({})).toEqual([]);
      },
    );

    it.each(Object.keys(appendWays) as (keyof typeof appendWays)[])(
      "appends a batch atomically through %s: one bad record stores none of it",
      async (way) => {
        const { requestLogs } = await openFresh();
        await requestLogs.appendBatch([makeLog({ id: "existing" })]);
        const batch = [...makeLogs(700), makeLog({ id: "existing", createdAt: T0 + 9_999_999 })];
        await expect(appendWays[way](requestLogs, batch)).rejects.toThrow();
        expect(ids(await requestLogs.query({ limit: 10_000 }))).toEqual(["existing"]);
      },
    );

    it("stores large batches completely", async () => {
      const { query } = await seeded(1234);
      const stored = await query({ limit: 10_000, order: "asc" });
      expect(stored).toHaveLength(1234);
      expect(stored[0]).toBe("log_000");
      expect(stored[1233]).toBe("log_1233");
    });

    it("orders newest first by default, oldest first for asc, ties broken by id", async () => {
      const { storage, query } = await seeded(5);
      // Inserted last but sorting first by id, so insertion order cannot pass for id order.
      await storage.requestLogs.appendBatch([makeLog({ id: "a_tie", createdAt: T0 + 2000 })]);
      expect(await query({})).toEqual(["log_004", "log_003", "log_002", "a_tie", "log_001", "log_000"]);
      expect(await query({ order: "desc" })).toEqual(await query({}));
      expect(await query({ order: "asc" })).toEqual([
        "log_000",
        "log_001",
        "a_tie",
        "log_002",
        "log_003",
        "log_004",
      ]);
    });

    it("filters by time: sinceMs inclusive, untilMs exclusive", async () => {
      const { query } = await seeded(10);
      expect(await query({ sinceMs: T0 + 7000 })).toEqual(["log_009", "log_008", "log_007"]);
      expect(await query({ untilMs: T0 + 2000 })).toEqual(["log_001", "log_000"]);
      expect(await query({ sinceMs: T0 + 3000, untilMs: T0 + 5000, order: "asc" })).toEqual([
        "log_003",
        "log_004",
      ]);
      expect(await query({ sinceMs: T0 + 5000, untilMs: T0 + 5000 })).toEqual([]);
    });

    it("filters by exact status and by status class", async () => {
      const { logs, query } = await seeded(21);
      const expected = (keep: (log: RequestLogRecord) => boolean) => ids(logs.filter(keep).reverse());
      expect(await query({ status: 200 })).toEqual(expected((log) => log.status === 200));
      expect(await query({ status: 200 })).toHaveLength(3);
      expect(await query({ statusClass: 5 })).toEqual(expected((log) => log.status >= 500));
      expect(await query({ statusClass: 5 })).toHaveLength(9);
      expect(await query({ statusClass: 4 })).toEqual(
        expected((log) => log.status >= 400 && log.status < 500),
      );
      expect(await query({ statusClass: 2 })).toEqual(expected((log) => log.status < 300));
      expect(await query({ statusClass: 3 })).toEqual([]);
      expect(await query({ status: 502, statusClass: 5 })).toEqual(expected((log) => log.status === 502));
      expect(await query({ status: 200, statusClass: 5 })).toEqual([]);
    });

    it("filters by key id and by requested model, combining every filter", async () => {
      const { logs, query } = await seeded(30);
      const expected = (keep: (log: RequestLogRecord) => boolean) => ids(logs.filter(keep).reverse());
      expect(await query({ keyId: "key_1" })).toEqual(expected((log) => log.keyId === "key_1"));
      expect(await query({ keyId: "key_1" })).toHaveLength(10);
      expect(await query({ model: "claude-sonnet" })).toEqual(
        expected((log) => log.modelRequested === "claude-sonnet"),
      );
      expect(await query({ model: "openai/gpt-4o-2024-08-06" })).toEqual([]);
      expect(await query({ keyId: "nobody" })).toEqual([]);
      const combined: RequestLogQuery = {
        keyId: "key_2",
        model: "gpt-4o",
        statusClass: 5,
        sinceMs: T0 + 1000,
        untilMs: T0 + 29_000,
        order: "asc",
      };
      const want = logs.filter(
        (log) =>
          log.keyId === "key_2" &&
          log.modelRequested === "gpt-4o" &&
          log.status >= 500 &&
          log.createdAt >= T0 + 1000 &&
          log.createdAt < T0 + 29_000,
      );
      expect(want.length).toBeGreaterThan(0);
      expect(await query(combined)).toEqual(ids(want));
    });

    it("filters by team, project, target, minimum latency and trace id", async () => {
      const storage = await openFresh();
      const logs = Array.from({ length: 12 }, (_, i) =>
        makeLog({
          id: `log_${String(i).padStart(2, "0")}`,
          createdAt: T0 + i * 1000,
          team: i % 3 === 0 ? null : `team_${i % 3}`,
          project: i % 2 === 0 ? "ranker" : "chat",
          target: i % 4 === 0 ? "backup/model" : "mock/primary",
          latencyMs: i * 100 + 0.5,
          traceId: i === 7 ? "0af7651916cd43dd8448eb211c80319c" : null,
        }),
      );
      await storage.requestLogs.appendBatch(logs);
      const query = async (q: RequestLogQuery) => ids(await storage.requestLogs.query(q));
      const expected = (keep: (log: RequestLogRecord) => boolean) => ids(logs.filter(keep).reverse());
      expect(await query({ team: "team_1" })).toEqual(expected((log) => log.team === "team_1"));
      expect(await query({ project: "chat" })).toEqual(expected((log) => log.project === "chat"));
      expect(await query({ target: "backup/model" })).toEqual(["log_08", "log_04", "log_00"]);
      expect(await query({ minLatencyMs: 900.5 })).toEqual(["log_11", "log_10", "log_09"]);
      expect(await query({ traceId: "0af7651916cd43dd8448eb211c80319c" })).toEqual(["log_07"]);
      expect(await query({ team: "team_2", project: "ranker", target: "mock/primary" })).toEqual(
        expected((log) => log.team === "team_2" && log.project === "ranker" && log.target === "mock/primary"),
      );
    });

    it("filters by minimum cost, exact tag pair and hashed end user", async () => {
      const storage = await openFresh();
      const tagSets = [
        "env=prod",
        "env=prod,feature=search",
        "app=x,env=prod",
        "app=x,env=prod,feature=search",
        "env=production",
        "env=Prod",
        "xenv=prod",
        "env=pro",
        "env=pr%d",
        null,
      ];
      const logs = tagSets.map((tags, i) =>
        makeLog({
          id: `log_${i}`,
          createdAt: T0 + i * 1000,
          tags,
          costUsd: i === 9 ? null : i * 0.01,
          endUser: i % 2 === 0 ? "2bd806c97f0e00af" : null,
        }),
      );
      await storage.requestLogs.appendBatch(logs);
      const query = async (q: RequestLogQuery) => ids(await storage.requestLogs.query(q));
      expect(await query({ tag: "env=prod", order: "asc" })).toEqual(["log_0", "log_1", "log_2", "log_3"]);
      expect(await query({ tag: "feature=search", order: "asc" })).toEqual(["log_1", "log_3"]);
      expect(await query({ tag: "env=Prod" })).toEqual(["log_5"]);
      expect(await query({ tag: "env=pr%d" })).toEqual(["log_8"]);
      expect(await query({ tag: "env=pr_d" })).toEqual([]);
      expect(await query({ tag: "env=" })).toEqual([]);
      expect(await query({ minCostUsd: 0.07, order: "asc" })).toEqual(["log_7", "log_8"]);
      expect(await query({ minCostUsd: 0 })).toHaveLength(9);
      expect(await query({ endUser: "2bd806c97f0e00af", order: "asc" })).toEqual([
        "log_0",
        "log_2",
        "log_4",
        "log_6",
        "log_8",
      ]);
      expect(await query({ tag: "env=prod", minCostUsd: 0.02, endUser: "2bd806c97f0e00af" })).toEqual([
        "log_2",
      ]);
    });

    it("gets one row by id, or undefined", async () => {
      const { storage, logs } = await seeded(3);
      expect(await storage.requestLogs.get("log_001")).toEqual(logs[1]);
      expect(await storage.requestLogs.get("missing")).toBeUndefined();
    });

    it("pages with a cursor after the last row, in both orders, across equal timestamps", async () => {
      const storage = await openFresh();
      const logs = Array.from({ length: 7 }, (_, i) =>
        makeLog({ id: `log_${i}`, createdAt: T0 + Math.floor(i / 2) * 1000 }),
      );
      await storage.requestLogs.appendBatch(logs);
      for (const order of ["desc", "asc"] as const) {
        const pages: string[][] = [];
        let after: RequestLogRecord | undefined;
        for (let page = 0; page < 5; page += 1) {
          const rows = await storage.requestLogs.query({
            order,
            limit: 3,
            ...(after === undefined ? {} : { after: { createdAt: after.createdAt, id: after.id } }),
          });
          if (rows.length === 0) break;
          pages.push(ids(rows));
          after = rows.at(-1);
        }
        const all = ids(logs);
        expect(pages.flat()).toEqual(order === "asc" ? all : [...all].reverse());
        expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
      }
    });

    it("limits results: 100 by default, the given limit, at most 10,000", async () => {
      const { query } = await seeded(150);
      const newest = await query({});
      expect(newest).toHaveLength(100);
      expect(newest[0]).toBe("log_149");
      expect(newest[99]).toBe("log_050");
      expect(await query({ limit: 3 })).toEqual(["log_149", "log_148", "log_147"]);
      expect(await query({ limit: 2, order: "asc", statusClass: 4 })).toEqual(["log_002", "log_003"]);
      expect(await query({ limit: 0 })).toEqual([]);
      expect(await query({ limit: 1000 })).toHaveLength(150);
    });

    it("caps the limit at 10,000", async () => {
      const { storage } = await seeded(10_001);
      expect(await storage.requestLogs.query({ limit: 50_000 })).toHaveLength(10_000);
    });
  });
}
