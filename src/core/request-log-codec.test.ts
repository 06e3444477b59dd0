import { describe, expect, it } from "vitest";
import type { RequestLogRecord } from "./ports/request-log-store.js";
import { decodeRequestLogBatch, RequestLogBatchEncoder, requestLogColumns } from "./request-log-codec.js";

const full: RequestLogRecord = {
  id: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
  createdAt: 1_764_288_000_123,
  keyId: "key_01",
  endpoint: "chat.completions",
  modelRequested: "gpt-4o-mini",
  target: "openai/gpt-4o-mini",
  status: 200,
  stream: true,
  latencyMs: 12.345678,
  ttftMs: 3.5,
  overheadMs: 0.0421,
  inputTokens: 1234,
  outputTokens: 56,
  cachedTokens: 0,
  errorCode: null,
  attempts: 2,
  policy: "pii.mask:3",
  attemptPath: "first mock/a 429 rate-limited 12ms > fallback backup/b 200 30ms",
  endUser: "2bd806c97f0e00af",
  cacheWriteTokens: 12,
  reasoningTokens: 7,
  usageEstimated: true,
  costUsd: 0.000_123_4,
  cacheSavingsUsd: 0.000_01,
  priceVersion: "2026-11-01",
  team: "search",
  project: "ranker",
  tags: "env=prod,feature=search",
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  attemptDetails: [
    { target: "mock/a", status: 429, errorCode: "GW_ERR_UPSTREAM_ERROR", durationMs: 12.5 },
    { target: "backup/b", status: null, errorCode: null, durationMs: 30 },
  ],
  warnings: "top_k has no OpenAI equivalent; dropped",
};

const { policy: _policy, usageEstimated: _estimated, ...withoutPolicy } = full;
const sparse: RequestLogRecord = {
  ...withoutPolicy,
  id: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c",
  keyId: null,
  modelRequested: "modèle-été-🚀",
  target: null,
  status: 499,
  stream: false,
  ttftMs: null,
  inputTokens: null,
  outputTokens: null,
  cachedTokens: null,
  errorCode: "GW_ERR_CLIENT_DISCONNECTED",
  attemptDetails: [],
  costUsd: null,
};

describe("request-log codec", () => {
  it("covers every field of RequestLogRecord", () => {
    expect(requestLogColumns.map((column) => column.field).sort()).toEqual(Object.keys(full).sort());
    expect(Object.keys(sparse)).not.toContain("policy");
  });

  it("round-trips rows with values, nulls, non-ASCII text and fractional numbers", () => {
    const encoder = new RequestLogBatchEncoder();
    encoder.append(full);
    encoder.append(sparse);
    const batch = encoder.take();
    expect(batch.rows).toBe(2);
    const [first, second] = decodeRequestLogBatch(batch);
    expect(first).toEqual(full);
    expect(second).toEqual({ ...sparse, policy: null });
    expect(second).not.toHaveProperty("usageEstimated");
    expect(encoder.rows).toBe(0);
    expect(decodeRequestLogBatch(encoder.take())).toEqual([]);
  });

  it("grows past its initial buffer and keeps earlier rows intact", () => {
    const encoder = new RequestLogBatchEncoder(16);
    const rows = Array.from({ length: 300 }, (_, index) => ({ ...full, id: `row-${index}`, status: index }));
    for (const row of rows) encoder.append(row);
    expect(decodeRequestLogBatch(encoder.take())).toEqual(rows);
  });

  it("rejects a batch whose byte count does not match its rows", () => {
    const encoder = new RequestLogBatchEncoder();
    encoder.append(full);
    encoder.append(full);
    const batch = encoder.take();
    expect(() => decodeRequestLogBatch({ bytes: batch.bytes, rows: 1 })).toThrow(/stray bytes/);
  });
});
