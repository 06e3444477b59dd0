/** What a limit counts: requests per window, tokens per window, or requests in flight. */
export type LimitKind = "requests" | "tokens" | "concurrent";

/** A refused concurrency check cannot know when a slot frees up; this is the retry hint given instead. */
export const concurrentRetryAfterMs = 1000;

/** One counter a request must fit in. Windows start at a bucket's first use and last `windowMs`. */
export interface LimitCheck {
  readonly kind: LimitKind;
  /** The counter's identity (rule name and the request's attribution values); never raw user ids. */
  readonly bucket: string;
  readonly limit: number;
  /** Window length for `requests` and `tokens`; ignored for `concurrent`. */
  readonly windowMs: number;
  /** Points this request takes: 1 for requests and concurrent, the token estimate for tokens. */
  readonly cost: number;
}

export interface LimitCheckState {
  /** What is left after this request's cost (when admitted) or before it (when refused); never negative. */
  readonly remaining: number;
  /** Milliseconds until the window starts afresh (`concurrent`: 0). */
  readonly resetMs: number;
  /** Identifies the window the cost went into, so a settlement can find it; 0 for `concurrent`. */
  readonly windowStart: number;
}

export type LimitAcquisition =
  | { readonly admitted: true; readonly states: readonly LimitCheckState[] }
  | {
      readonly admitted: false;
      readonly states: readonly LimitCheckState[];
      /** Index into the checks of the refusing check that frees up last. */
      readonly refusedIndex: number;
      /** When the request could fit again, as far as the refusing checks know. */
      readonly retryAfterMs: number;
    };

/** Reconciles an admitted request: corrects a token reservation, or frees a concurrency slot. */
export type LimitSettlement =
  | {
      readonly kind: "tokens";
      readonly bucket: string;
      readonly windowStart: number;
      /** Actual minus reserved; applied only if the reservation's window is still the current one. */
      readonly delta: number;
    }
  | { readonly kind: "concurrent"; readonly bucket: string };

/**
 * Shared counters for rate limits. `acquire` is all-or-nothing: either every check fits and every cost is
 * taken, or nothing changes. Implementations: in memory (one node) and Redis (one atomic script per call).
 */
export interface RateLimitStore {
  /** `leaseId` names this request's concurrency slots (unique per request). */
  acquire(checks: readonly LimitCheck[], leaseId: string): Promise<LimitAcquisition>;
  settle(settlements: readonly LimitSettlement[], leaseId: string): Promise<void>;
  close(): Promise<void>;
}
