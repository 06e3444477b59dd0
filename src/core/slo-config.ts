/** What an SLO measures: answers that are not server errors, or answers faster than a bound. */
export type SloKind = "availability" | "latency";

/** `latency`: arrival to last byte of every request; `ttft`: arrival to first event, streams only. */
export type SloLatencyMeasure = "latency" | "ttft";

/** Which requests an SLO counts. Each non-empty list must match; empty lists match every request. */
export interface SloScope {
  /** Model group names as configured in `models` (`*` for the catch-all). */
  readonly models: readonly string[];
  /** Operations (`chat.completions`, `embeddings`). */
  readonly routes: readonly string[];
  /** The `team` metadata of the calling virtual key. */
  readonly teams: readonly string[];
}

export interface SloConfig {
  /** Unique; a label in alerts, metrics rules and storage. Changing it starts a new history. */
  readonly name: string;
  readonly kind: SloKind;
  /** Target share of good requests in (0, 1), e.g. 0.999. */
  readonly objective: number;
  /** Compliance window in milliseconds (default 28 days). */
  readonly windowMs: number;
  readonly scope: SloScope;
  /** Latency SLOs only: which duration, and the bound a good request stays within (inclusive). */
  readonly latency: { readonly measure: SloLatencyMeasure; readonly thresholdMs: number } | undefined;
  readonly description: string | undefined;
}

export type SloWebhookFormat = "generic" | "slack" | "pagerduty";

export interface SloWebhookConfig {
  readonly name: string;
  readonly format: SloWebhookFormat;
  readonly url: string;
  /** PagerDuty Events v2 integration key (format `pagerduty` only). */
  readonly routingKey: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  /** Which alert severities this webhook receives. */
  readonly severities: readonly ("page" | "ticket")[];
}

export interface SloAlertingConfig {
  /** How often burn rates are evaluated and alerts fire or resolve. */
  readonly evaluateIntervalMs: number;
  /** How often counts are written to storage (added to what is stored), so a restart keeps the window. */
  readonly persistIntervalMs: number;
  readonly webhooks: readonly SloWebhookConfig[];
  /** Delivery attempts per message (first try included), with exponential backoff from `retryBaseMs`. */
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  /** Per-attempt timeout. */
  readonly timeoutMs: number;
  /** Names this gateway in alerts (PagerDuty `source`); default the host name. */
  readonly source: string | undefined;
}
