import type { LoadJob, LoadSlice, StreamJob, StreamSlice } from "./load.js";
import type { PacedStreamJob, PacedStreamSlice } from "./paced-stream-load.js";

export type ChildRole = "mock-upstream" | "minimal-proxy" | "otlp-sink" | "load";

/** Parent to a `load` child. */
export type LoadRequest =
  | { readonly kind: "load"; readonly job: LoadJob }
  | { readonly kind: "stream"; readonly job: StreamJob }
  | { readonly kind: "paced-stream"; readonly job: PacedStreamJob };

/** Any bench child to the parent (structured-clone IPC, so typed arrays travel as they are). */
export type ChildMessage =
  | { readonly kind: "listening"; readonly port: number }
  /** A `load` child is listening for its one request. */
  | { readonly kind: "ready" }
  | { readonly kind: "load-result"; readonly slice: LoadSlice }
  | { readonly kind: "stream-result"; readonly slice: StreamSlice }
  | { readonly kind: "paced-stream-result"; readonly slice: PacedStreamSlice }
  | { readonly kind: "failed"; readonly message: string };
