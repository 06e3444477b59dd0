import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Storage } from "../core/ports/storage.js";
import { encodeRequestLogBatch } from "../core/request-log-codec.js";
import { openStorage } from "./open-storage.js";
import { makeLog } from "./request-log-store-contract.js";
import { RequestLogWorker } from "./request-log-worker.js";

let directory: string;
let url: string;
let storage: Storage;

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), "switchyard-log-worker-"));
  url = `sqlite:${path.join(directory, "gateway.db")}`;
  storage = await openStorage(url);
});
afterAll(async () => {
  await storage.close();
  rmSync(directory, { recursive: true, force: true });
});

describe("RequestLogWorker", () => {
  it("writes batches from its own thread, visible to other connections", async () => {
    const worker = await RequestLogWorker.start({ url, schema: undefined });
    await worker.appendEncoded(encodeRequestLogBatch([makeLog({ id: "w-1" }), makeLog({ id: "w-2" })]));
    await worker.appendEncoded(encodeRequestLogBatch([]));
    await worker.close();
    const rows = await storage.requestLogs.query({ order: "asc" });
    expect(rows.map((row) => row.id)).toEqual(["w-1", "w-2"]);
    expect(rows[0]).toEqual({ ...makeLog({ id: "w-1" }), policy: null });
  });

  it("rejects a batch the database refuses, and keeps working", async () => {
    const worker = await RequestLogWorker.start({ url, schema: undefined });
    await expect(worker.appendEncoded(encodeRequestLogBatch([makeLog({ id: "w-1" })]))).rejects.toThrow(
      /request log write failed/,
    );
    await worker.appendEncoded(encodeRequestLogBatch([makeLog({ id: "w-3" })]));
    expect(worker.failure).toBeUndefined();
    await worker.close();
    expect(worker.failure).toBeDefined();
    await expect(worker.appendEncoded(encodeRequestLogBatch([makeLog({ id: "w-4" })]))).rejects.toThrow(
      /exited/,
    );
  });

  it("fails to start, with the reason, when storage cannot be opened", async () => {
    await expect(RequestLogWorker.start({ url: "mysql://nowhere", schema: undefined })).rejects.toThrow(
      /could not open storage: .*unsupported storage URL/,
    );
  });
});
