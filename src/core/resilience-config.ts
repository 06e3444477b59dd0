/** Why an upstream attempt failed, as far as retries and fallbacks care. */
export type FailureClass =
  | "rate-limited"
  | "server-error"
  | "timeout"
  | "context-window"
  | "content-policy"
  | "client-error";

export interface RetrySettings {
  /** Extra attempts on the same target after a failure of a class in `retryOn` (0: move on at once). */
  readonly maxRetriesPerTarget: number;
  /** Failure classes retried on the same target. */
  readonly retryOn: readonly FailureClass[];
  /** Exponential backoff with full jitter: a retry waits a random time in [0, min(maxDelayMs, baseDelayMs·2^n)]. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * An upstream's `retry-after-ms` / `x-ms-retry-after-ms` / `Retry-After` replaces the backoff; when it asks
   * for longer than this, the target is not retried (the next target is tried instead).
   */
  readonly maxRetryAfterMs: number;
}

export interface RetryBudgetSettings {
  /** Retries may be at most this share of the requests seen in the window (plus `minRetriesPerSecond`). */
  readonly ratio: number;
  /** Retries always allowed per second of window, so a quiet gateway can still retry. */
  readonly minRetriesPerSecond: number;
  readonly windowMs: number;
}

export interface CircuitBreakerSettings {
  readonly enabled: boolean;
  /** Opens after this many failures in a row. */
  readonly consecutiveFailures: number;
  /** ...or when this share of calls failed in the last `windowMs`, once `minimumRequests` were seen in it. */
  readonly failureRateThreshold: number;
  readonly windowMs: number;
  readonly minimumRequests: number;
  /** How long an open breaker skips its target before one probe request is let through (half-open). */
  readonly cooldownMs: number;
}

export interface ResilienceTimeouts {
  /** From an attempt's start to its first content event (streams) or its full body; absent: no limit. */
  readonly firstTokenMs: number | undefined;
  /** From the request's arrival to its last byte, across every attempt; absent: no limit. */
  readonly totalMs: number | undefined;
}

export interface ResilienceGroupSettings {
  readonly fallbackOn: readonly FailureClass[] | undefined;
  readonly retryOn: readonly FailureClass[] | undefined;
  readonly maxRetriesPerTarget: number | undefined;
  readonly firstTokenMs: number | undefined;
  readonly totalMs: number | undefined;
}

export interface ResilienceConfig {
  readonly retries: RetrySettings;
  readonly retryBudget: RetryBudgetSettings;
  /** Failure classes after which the next target of the group is tried. */
  readonly fallbackOn: readonly FailureClass[];
  readonly timeouts: ResilienceTimeouts;
  /**
   * How long a stream's opening is held back waiting for its first content event, so that an error in the first
   * events can still fall back; 0 relays at once.
   */
  readonly streamHoldBackMs: number;
  readonly circuitBreaker: CircuitBreakerSettings;
  /** Per model group (by public name): overrides of the settings above. */
  readonly groups: Readonly<Record<string, ResilienceGroupSettings>>;
}

/** What an absent `resilience:` section means (the config schema's defaults; a test keeps the two equal). */
export const defaultResilienceConfig: ResilienceConfig = {
  retries: {
    maxRetriesPerTarget: 0,
    retryOn: ["rate-limited", "server-error", "timeout"],
    baseDelayMs: 100,
    maxDelayMs: 2_000,
    maxRetryAfterMs: 5_000,
  },
  retryBudget: { ratio: 0.2, minRetriesPerSecond: 5, windowMs: 10_000 },
  fallbackOn: ["rate-limited", "server-error", "timeout"],
  timeouts: { firstTokenMs: undefined, totalMs: undefined },
  streamHoldBackMs: 1_000,
  circuitBreaker: {
    enabled: true,
    consecutiveFailures: 5,
    failureRateThreshold: 0.5,
    windowMs: 30_000,
    minimumRequests: 20,
    cooldownMs: 30_000,
  },
  groups: {},
};
