import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { RequestLogRecord } from "../core/ports/request-log-store.js";
import { csvHeader, formatCsvRow } from "./format-log-csv.js";
import { decodeCursor, encodeCursor } from "./request-log-cursor.js";

const row: RequestLogRecord = {
  id: "req-1",
  createdAt: Date.UTC(2026, 10, 28, 1, 2, 3),
  keyId: null,
  endpoint: "chat.completions",
  modelRequested: 'team "a", model',
  target: "mock/primary",
  status: 200,
  stream: true,
  latencyMs: 12.5,
  ttftMs: null,
  overheadMs: 0.25,
  inputTokens: 3,
  outputTokens: null,
  cachedTokens: 0,
  errorCode: null,
  attempts: 2,
  attemptDetails: [
    { target: "mock/primary", status: null, errorCode: "GW_ERR_UPSTREAM_TIMEOUT", durationMs: 1 },
    { target: "backup/b", status: 200, errorCode: null, durationMs: 2 },
  ],
  policy: "pii.redact:1,secrets.block:2",
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  team: "search",
  project: null,
  costUsd: 0.0125,
  tags: "env=prod,feature=a",
};

describe("request log CSV", () => {
  it("quotes per RFC 4180 and round-trips through a CSV parser, nulls as empty cells", () => {
    const text = csvHeader() + formatCsvRow(row);
    const [record] = parse(text, { columns: true }) as Record<string, string>[];
    expect(record).toMatchObject({
      id: "req-1",
      time: "2026-11-28T01:02:03.000Z",
      key_id: "",
      model: 'team "a", model',
      stream: "true",
      ttft_ms: "",
      output_tokens: "",
      attempt_details: "mock/primary:GW_ERR_UPSTREAM_TIMEOUT>backup/b:200",
      policy: "pii.redact:1,secrets.block:2",
      team: "search",
      project: "",
      cost_usd: "0.0125",
      tags: "env=prod,feature=a",
    });
    expect(text).toContain('"team ""a"", model"');
  });
});

describe("request log cursor", () => {
  it("round-trips the last row's time and id, and rejects anything else", () => {
    expect(decodeCursor(encodeCursor(row))).toEqual({ createdAt: row.createdAt, id: "req-1" });
    expect(() => decodeCursor("bm90LWEtY3Vyc29y")).toThrow("not a request-log cursor");
  });
});

describe("formatCsvRow and spreadsheet formulas", () => {
  it("prefixes client-chosen text that a spreadsheet would run as a formula, and leaves numbers alone", () => {
    const hostile = { ...row, modelRequested: '=HYPERLINK("http://x")', tags: "+cmd=1", costUsd: 0.5 };
    const [record] = parse(formatCsvRow(hostile), { columns: false }) as string[][];
    expect(record).toContain('\'=HYPERLINK("http://x")');
    expect(record).toContain("'+cmd=1");
    expect(record).toContain("0.5");
    const [plain] = parse(formatCsvRow(row), { columns: false }) as string[][];
    expect(plain).toContain('team "a", model');
  });
});
