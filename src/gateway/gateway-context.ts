import type { CancelSignal } from "../core/cancellation.js";
import type { TokenUsage } from "../core/cost/token-usage.js";
import type { GatewayError } from "../core/gateway-error.js";
import type { KeyAttribution } from "../core/key-attribution.js";
import type { VirtualKeyRecord } from "../core/ports/key-store.js";
import type { UpstreamOperation } from "../core/ports/provider-adapter.js";
import type { BudgetReservation } from "./budget/budget-guard.js";
import type { RequestAttribution } from "./cost/request-attribution.js";
import type { LeverTimeouts } from "./lever-cache.js";
import type { RateLimitLease } from "./limits/rate-limiter.js";
import type { RequestPolicy } from "./policy/request-policy.js";
import type { RequestTracing } from "./request-tracing.js";
import type { ResolvedRoute, RouteTable } from "./route-table.js";
import type { TargetStats } from "./target-stats.js";

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

export type { TokenUsage } from "../core/cost/token-usage.js";

/** How one upstream attempt ended, from the gateway's side (before anything reached the client). */
export type AttemptOutcome = "served" | "failed" | "skipped";

/** Why an attempt was made: the first try, a retry of the same target, or a fallback to another target. */
export type AttemptReason = "first" | "retry" | "fallback";

export interface AttemptRecord {
  readonly target: string;
  readonly status: number | null;
  readonly errorCode: string | null;
  readonly durationMs: number;
  readonly outcome: AttemptOutcome;
  readonly reason: AttemptReason;
  /** Why it failed (`rate-limited`, `server-error`, `timeout`, …); `open-circuit` when skipped; null when served. */
  readonly failure: string | null;
  /** The target's circuit breaker state when the attempt began. */
  readonly breaker: "closed" | "open" | "half-open";
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
  /** Every attempt in order, including targets skipped by an open circuit breaker. */
  attempts: AttemptRecord[];
  target: string | null;
  usage: TokenUsage;
  /** From arrival to the first streamed event (streams) or the full upstream body (otherwise). */
  ttftMs: number | null;
  /** The final outcome's error code, also for streams interrupted after they began. */
  errorCode: string | null;
  /** Status recorded in the request log (for interrupted streams, the error's status, not the 200 sent). */
  loggedStatus: number | null;
  /** What a cross-dialect translation could not carry across (`; `-separated), sent as `x-switchyard-warnings`. */
  warnings: string | null;
  /** The safety policies that apply to this request and what they did; undefined when none applies. */
  policy: RequestPolicy | undefined;
  /** The target this request counts as in flight on (for `least-busy` and per-target limits) until complete. */
  busyTarget: TargetStats | undefined;
  /** Gives back the backpressure slot this request holds; called once, when the response is over. */
  releaseAdmission: (() => void) | undefined;
  /** The rate-limit counters this request holds (token reservations, a concurrency slot); settled on completion. */
  rateLimit: RateLimitLease | undefined;
  /** Whom the spend belongs to (key, team, project, tags); set by the budget step or when the request ends. */
  attribution: RequestAttribution | undefined;
  /** Prompt tokens counted by the gateway (for a budget reservation), null when not counted. */
  promptTokens: number | null;
  /** Generated text pieces, kept only to estimate output tokens should the upstream report no usage. */
  completionText: string[] | undefined;
  /** What budgets reserved for this request; settled when the request ends. */
  budgetReservation: BudgetReservation | undefined;
  /** Tighter timeouts from an incident lever on the request's group; the smaller of these and the config wins. */
  leverTimeouts?: LeverTimeouts | undefined;
  /** The request's trace; undefined when tracing is off (then no span object exists for the request). */
  readonly tracing: RequestTracing | undefined;
  /**
   * The request's cost in US dollars once known; null until a cost step computes it. Read when the request
   * completes, for the request span, the cost metric and (later) the request log.
   */
  costUsd: number | null;
}
