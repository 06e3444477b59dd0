import type { CancelSignal } from "../core/cancellation.js";
import type { GatewayError } from "../core/gateway-error.js";
import type { KeyAttribution } from "../core/key-attribution.js";
import type { VirtualKeyRecord } from "../core/ports/key-store.js";
import type { UpstreamOperation } from "../core/ports/provider-adapter.js";
import type { RequestPolicy } from "./policy/request-policy.js";
import type { ResolvedRoute, RouteTable } from "./route-table.js";

export type IncomingHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * Who is calling: the master key or one virtual key. The key cache builds one `Caller` per key when it loads
 * it, so `attribution` (team, project, user; see `keyAttribution`) costs nothing per request.
 */
export type Caller =
  | { readonly kind: "master" }
  | {
      readonly kind: "virtual-key";
      readonly key: VirtualKeyRecord;
      readonly attribution: KeyAttribution;
    };

export interface TokenUsage {
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly cachedTokens: number | null;
}

export interface AttemptRecord {
  readonly target: string;
  readonly status: number | null;
  readonly errorCode: string | null;
  readonly durationMs: number;
}

export type GatewayResponse =
  | {
      readonly kind: "body";
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly body: Uint8Array | string;
    }
  | {
      readonly kind: "stream";
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly stream: AsyncIterable<Uint8Array | string>;
    }
  | {
      readonly kind: "error";
      readonly error: GatewayError;
      readonly headers: Readonly<Record<string, string>>;
    };

/** The state of one request as it moves through the pipeline; steps read and fill it. */
export interface GatewayContext {
  readonly requestId: string;
  /** Epoch ms when the request arrived. */
  readonly receivedAt: number;
  /** `performance.now()` when the request arrived; the base of every duration. */
  readonly startedAt: number;
  readonly operation: UpstreamOperation;
  readonly headers: IncomingHeaders;
  /** The client's body; input policies may replace it with a redacted or masked copy (never edit it in place). */
  body: Record<string, unknown>;
  /** Aborts when the client goes away; passed to every upstream call. */
  readonly signal: CancelSignal;
  /** The route table this request started with; a config reload does not change it mid-request. */
  readonly routes: RouteTable;
  readonly releaseRoutes: () => void;
  caller: Caller | undefined;
  route: ResolvedRoute | undefined;
  /** The public model name asked for, once validated. */
  modelRequested: string | null;
  stream: boolean;
  /** Milliseconds spent waiting on upstreams; the rest of the request's time is the gateway's overhead. */
  upstreamMs: number;
  attempts: AttemptRecord[];
  target: string | null;
  usage: TokenUsage;
  /** From arrival to the first streamed event (streams) or the full upstream body (otherwise). */
  ttftMs: number | null;
  /** The final outcome's error code, also for streams interrupted after they began. */
  errorCode: string | null;
  /** Status recorded in the request log (for interrupted streams, the error's status, not the 200 sent). */
  loggedStatus: number | null;
  /** The safety policies that apply to this request and what they did; undefined when none applies. */
  policy: RequestPolicy | undefined;
  /**
   * The end user the request is made for (`x-switchyard-user` header, else the body's `user`), for per-user
   * limits and reports; null when not given. See `end-user.ts`.
   */
  readonly endUserId: string | null;
}
