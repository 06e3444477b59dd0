import { describe, expect, it } from "vitest";
import type { RequestLogQuery, RequestLogRecord, RequestLogStore } from "../core/ports/request-log-store.js";
import { buildUsageReport, parseReportDimensions } from "./usage-report.js";

const T0 = Date.parse("2026-11-27T10:00:00Z");

function row(index: number, overrides: Partial<RequestLogRecord>): RequestLogRecord {
  return {
    id: `r${String(index).padStart(4, "0")}`,
    createdAt: T0 + index * 1000,
    keyId: "k1",
    endpoint: "chat.completions",
    modelRequested: "gpt-4o",
    target: "openai/gpt-4o",
    status: 200,
    stream: false,
    latencyMs: 100,
    ttftMs: 50,
    overheadMs: 1,
    inputTokens: 100,
    outputTokens: 10,
    cachedTokens: 0,
    errorCode: null,
    attempts: 1,
    costUsd: 0.01,
    cacheSavingsUsd: 0,
    team: "search",
    project: "ranker",
    tags: null,
    ...overrides,
  };
}

/** A store over an array, honouring the range, order, limit and cursor like the SQL one. */
function arrayStore(rows: readonly RequestLogRecord[]): RequestLogStore & { pages: number } {
  const store = {
    pages: 0,
    appendBatch: async () => undefined,
    appendEncoded: async () => undefined,
    get: async (id: string) => rows.find((each) => each.id === id),
    async query(query: RequestLogQuery) {
      store.pages += 1;
      const after = query.after;
      return rows
        .filter((each) => query.sinceMs === undefined || each.createdAt >= query.sinceMs)
        .filter((each) => query.untilMs === undefined || each.createdAt < query.untilMs)
        .filter(
          (each) =>
            after === undefined ||
            each.createdAt > after.createdAt ||
            (each.createdAt === after.createdAt && each.id > after.id),
        )
        .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
        .slice(0, query.limit ?? 100);
    },
  };
  return store;
}

describe("buildUsageReport", () => {
  it("sums requests, errors, tokens, cost and savings per group, with a nearest-rank p95", async () => {
    const rows = [
      ...Array.from({ length: 20 }, (_, index) =>
        row(index, { latencyMs: (index + 1) * 10, cachedTokens: 50, cacheSavingsUsd: 0.001 }),
      ),
      row(20, { team: "ads", project: null, costUsd: 0.5, reasoningTokens: 7, usageEstimated: true }),
      row(21, {
        team: "ads",
        project: null,
        status: 429,
        costUsd: null,
        inputTokens: null,
        outputTokens: null,
      }),
      row(22, { createdAt: T0 - 1, costUsd: 99 }),
    ];
    const report = await buildUsageReport(arrayStore(rows), {
      fromMs: T0,
      toMs: T0 + 86_400_000,
      groupBy: ["team", "project"],
    });
    expect(report.rows.map((each) => each.group)).toEqual([
      ["ads", "(none)"],
      ["search", "ranker"],
    ]);
    const [ads, search] = report.rows;
    expect(ads).toMatchObject({
      requests: 2,
      errors: 1,
      reasoningTokens: 7,
      estimatedRequests: 1,
      unpricedRequests: 0,
    });
    expect(ads?.costUsd).toBeCloseTo(0.5, 12);
    expect(search).toMatchObject({ requests: 20, errors: 0, inputTokens: 2000, cachedTokens: 1000 });
    expect(search?.costUsd).toBeCloseTo(0.2, 12);
    expect(search?.cacheSavingsUsd).toBeCloseTo(0.02, 12);
    // Latencies 10…200: the 19th of 20 sorted values.
    expect(search?.p95LatencyMs).toBe(190);
    expect(report.total.requests).toBe(22);
    expect(report.total.costUsd).toBeCloseTo(0.7, 12);
    expect(report.dailyCostUsd).toHaveLength(1);
  });

  it("counts a request in every tag group, or by one tag's value, and pages through large ranges", async () => {
    const rows = Array.from({ length: 25_000 }, (_, index) =>
      row(index, { tags: index % 2 === 0 ? "env=prod,feature=search" : "env=dev" }),
    );
    const store = arrayStore(rows);
    const byTag = await buildUsageReport(store, { fromMs: T0, toMs: T0 + 10 ** 9, groupBy: ["tag"] });
    expect(store.pages).toBe(3);
    expect(Object.fromEntries(byTag.rows.map((each) => [each.group[0], each.requests]))).toEqual({
      "env=prod": 12_500,
      "feature=search": 12_500,
      "env=dev": 12_500,
    });
    expect(byTag.total.requests).toBe(25_000);
    const byFeature = await buildUsageReport(store, {
      fromMs: T0,
      toMs: T0 + 10 ** 9,
      groupBy: parseReportDimensions("tag:feature,model"),
    });
    expect(byFeature.rows.map((each) => [...each.group, each.requests])).toEqual([
      ["(none)", "gpt-4o", 12_500],
      ["search", "gpt-4o", 12_500],
    ]);
  });

  it("rejects unknown dimensions", () => {
    expect(() => parseReportDimensions("team,colour")).toThrow(/colour/);
  });
});
