import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { EncodedRequestLogBatch, RequestLogSink } from "../core/ports/request-log-store.js";
import type { RequestLogWorkerData, WorkerReply, WorkerRequest } from "./request-log-worker-protocol.js";

interface Pending {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * Writes request-log batches from a worker thread with its own database handle, so that building and running
 * the inserts (synchronous with SQLite) costs the serving thread only a message post of encoded bytes. Measured:
 * the inline writes were one of the two largest per-request costs in `npm run bench`.
 */
export class RequestLogWorker implements RequestLogSink {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  readonly #inFlight = new Set<Promise<void>>();
  #nextId = 0;
  #failure: Error | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on("message", (message: WorkerReply) => {
      if (message.kind !== "written" && message.kind !== "failed") return;
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.kind === "written") pending?.resolve();
      else pending?.reject(new Error(`request log write failed: ${message.message}`));
    });
    const stop = (error: Error) => {
      this.#failure = error;
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    };
    worker.on("error", stop);
    worker.on("exit", (code) => stop(new Error(`request log worker exited (code ${code})`)));
  }

  static start(data: RequestLogWorkerData): Promise<RequestLogWorker> {
    const worker = spawnWorker(data);
    return new Promise((resolve, reject) => {
      const onMessage = (message: WorkerReply) => {
        if (message.kind === "ready") {
          worker.off("error", reject);
          worker.off("message", onMessage);
          resolve(new RequestLogWorker(worker));
        } else if (message.kind === "open-failed") {
          void worker.terminate();
          reject(new Error(`request log worker could not open storage: ${message.message}`));
        }
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
    });
  }

  /** Set once the worker has died; callers then write inline instead. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** Posts a copy of the batch (the caller keeps it, to retry should this write fail). */
  appendEncoded(batch: EncodedRequestLogBatch): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (batch.rows === 0) return Promise.resolve();
    const id = this.#nextId++;
    const written = new Promise<void>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ kind: "append", id, batch } satisfies WorkerRequest);
    });
    const settled = written.then(
      () => undefined,
      () => undefined,
    );
    this.#inFlight.add(settled);
    void settled.then(() => this.#inFlight.delete(settled));
    return written;
  }

  /** Lets pending writes finish, then closes the worker's storage and the worker. */
  async close(): Promise<void> {
    await Promise.all([...this.#inFlight]);
    if (this.#failure !== undefined) return;
    const exited = new Promise<void>((resolve) => this.#worker.once("exit", () => resolve()));
    this.#worker.postMessage({ kind: "close" } satisfies WorkerRequest);
    await exited;
  }
}

/** Runs the compiled worker from `dist/`; from TypeScript sources (tests) it first registers tsx's loader. */
function spawnWorker(data: RequestLogWorkerData): Worker {
  const fromSources = import.meta.url.endsWith(".ts");
  const entry = new URL(`./request-log-worker-thread.${fromSources ? "ts" : "js"}`, import.meta.url);
  if (!fromSources) return new Worker(entry, { workerData: data });
  const tsxPackage = createRequire(import.meta.url).resolve("tsx/package.json");
  const tsxApi = pathToFileURL(join(dirname(tsxPackage), "dist/esm/api/index.mjs")).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}
