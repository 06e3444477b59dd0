import { describe, expect, it } from "vitest";
import type { RequestLogRecord, RequestLogSink } from "../core/ports/request-log-store.js";
import { decodeRequestLogBatch } from "../core/request-log-codec.js";
import { RequestLogWriter } from "./request-log-writer.js";

function row(id: string): RequestLogRecord {
  return {
    id,
    createdAt: 1,
    keyId: null,
    endpoint: "chat.completions",
    modelRequested: "m",
    target: "p/m",
    status: 200,
    stream: false,
    latencyMs: 1,
    ttftMs: 1,
    overheadMs: 0.1,
    inputTokens: 1,
    outputTokens: 1,
    cachedTokens: 0,
    errorCode: null,
    attempts: 1,
  };
}

function store(failuresFirst = 0) {
  const batches: string[][] = [];
  let failures = failuresFirst;
  const port: RequestLogSink = {
    appendEncoded: async (batch) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error("database is locked");
      }
      batches.push(decodeRequestLogBatch(batch).map((record) => record.id));
    },
  };
  return { port, batches };
}

const quiet = { flushIntervalMs: 60_000, onFlushError: () => undefined, onDrop: () => undefined };

describe("RequestLogWriter", () => {
  it("writes queued rows in batches of at most maxBatchSize", async () => {
    const { port, batches } = store();
    const writer = new RequestLogWriter({ ...quiet, sink: port, maxBatchSize: 2, maxQueueSize: 100 });
    for (const id of ["a", "b", "c"]) writer.record(row(id));
    await writer.close();
    expect(batches.flat()).toEqual(["a", "b", "c"]);
    expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThanOrEqual(2);
    expect(writer.queuedRows).toBe(0);
  });

  it("keeps a batch that failed and writes it with the next flush", async () => {
    const { port, batches } = store(1);
    const errors: number[] = [];
    const writer = new RequestLogWriter({
      ...quiet,
      sink: port,
      maxBatchSize: 10,
      maxQueueSize: 100,
      onFlushError: (_error, rows) => errors.push(rows),
    });
    writer.record(row("a"));
    await writer.flush();
    expect(errors).toEqual([1]);
    expect(writer.queuedRows).toBe(1);
    writer.record(row("b"));
    await writer.flush();
    expect(batches).toEqual([["a"], ["b"]]);
    expect(writer.queuedRows).toBe(0);
  });

  it("drops and counts rows beyond maxQueueSize instead of growing", () => {
    const { port } = store();
    let dropped = 0;
    const writer = new RequestLogWriter({
      ...quiet,
      sink: port,
      maxBatchSize: 100,
      maxQueueSize: 2,
      onDrop: (rows) => {
        dropped += rows;
      },
    });
    for (const id of ["a", "b", "c", "d"]) writer.record(row(id));
    expect(writer.queuedRows).toBe(2);
    expect(dropped).toBe(2);
  });
});
