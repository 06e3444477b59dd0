import type { EncodedRequestLogBatch } from "../core/ports/request-log-store.js";

/** Messages between `RequestLogWorker` (main thread) and `request-log-worker-thread` (its worker). */
export interface RequestLogWorkerData {
  readonly url: string;
  readonly schema: string | undefined;
}

export type WorkerRequest =
  | { readonly kind: "append"; readonly id: number; readonly batch: EncodedRequestLogBatch }
  | { readonly kind: "close" };

export type WorkerReply =
  | { readonly kind: "ready" }
  | { readonly kind: "open-failed"; readonly message: string }
  | { readonly kind: "written"; readonly id: number }
  | { readonly kind: "failed"; readonly id: number; readonly message: string };
