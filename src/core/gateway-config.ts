import type { ModelPrice } from "./cost/model-price.js";
import type { DetectorFamily } from "./detection.js";

/**
 * The validated, frozen configuration the gateway runs on. `src/config/` builds it from a YAML file or from
 * the environment; everything else receives it and never reads env or files itself.
 */
export interface SwitchyardConfig {
  readonly source: "file" | "environment";
  readonly server: ServerConfig;
  readonly storage: StorageConfig;
  readonly providers: readonly ProviderConfig[];
  readonly models: readonly ModelGroupConfig[];
  readonly requestLog: RequestLogConfig;
  readonly keys: KeyCacheConfig;
  /** Incident levers; undefined means the defaults. */
  readonly levers?: LeverCacheConfig | undefined;
  readonly audit: AuditConfig;
  readonly safety: SafetyConfig;
  /** Conditional routing rules and latency tracking; undefined means no rules and the defaults. */
  readonly routing?: RoutingConfig | undefined;
  /** Admission control and load shedding; undefined means none (no step on the request path). */
  readonly backpressure?: BackpressureConfig | undefined;
  /** Retries, fallbacks by failure class, timeouts, stream hold-back and circuit breakers. */
  readonly resilience: ResilienceConfig;
  readonly limits: LimitsConfig;
  readonly cost: CostConfig;
  readonly telemetry: TelemetryConfig;
  /** Service level objectives evaluated in-process (empty: the feature is off). */
  readonly slos: readonly SloConfig[];
  readonly sloAlerting: SloAlertingConfig;
  /** pino level; from `SWITCHYARD_LOG_LEVEL`, default `info`. */
  readonly logLevel: string;
  /** From `SWITCHYARD_MASTER_KEY`; when absent the gateway generates one on first start. */
  readonly masterKey: string | undefined;
}

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** Largest accepted request body; larger bodies get 413 GW_ERR_REQUEST_BODY_TOO_LARGE. */
  readonly bodyLimitBytes: number;
}

export interface StorageConfig {
  /** `sqlite:<path>` (embedded default) or `postgres://…`. */
  readonly url: string;
  /** Postgres only: the schema holding Switchyard's tables (created when missing); default `public`. */
  readonly schema: string | undefined;
}

export type ProviderType = "openai" | "openai-compatible" | "anthropic" | "simulator";

export interface ProviderConfig {
  /** Unique name, used in model targets and in `x-switchyard-target`. */
  readonly name: string;
  readonly type: ProviderType;
  /** Origin plus path prefix up to and including `/v1`; unused for `simulator`. */
  readonly baseUrl: string | undefined;
  readonly apiKey: string | undefined;
  /** Extra headers sent upstream on every request (e.g. `OpenAI-Organization`). */
  readonly headers: Readonly<Record<string, string>>;
  readonly timeouts: ProviderTimeouts;
  /** Only for `type: anthropic`: the `anthropic-version` header (default `2023-06-01`); a client's own wins. */
  readonly anthropicVersion?: string | undefined;
  /** Only for `type: simulator`. */
  readonly simulator: SimulatorSettings | undefined;
}

export interface ProviderTimeouts {
  readonly connectMs: number;
  /** Until the upstream's response headers arrive. */
  readonly headersMs: number;
  /** Longest silence between two body chunks. */
  readonly idleMs: number;
}

export interface ModelGroupConfig {
  /** The public model name clients send; `*` matches any name not listed elsewhere. */
  readonly name: string;
  /** Ordered by `strategy` per request: a target is used when the ones before it failed before answering. */
  readonly targets: readonly ModelTargetConfig[];
  /** Default `priority`. */
  readonly strategy?: RoutingStrategy | undefined;
  /** A group used when no target of this one has a context window large enough for the request. */
  readonly contextFallback?: string | undefined;
}

export interface ModelTargetConfig {
  readonly provider: string;
  /** The upstream model name; when absent the client's model name is sent unchanged. */
  readonly model: string | undefined;
  /** Request fields applied to every request sent to this target, overriding the client's. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Relative share of traffic under the `weighted` strategy; default 1. */
  readonly weight?: number | undefined;
  /** In-flight requests this target serves at once at most (backpressure); undefined means no limit. */
  readonly maxConcurrency?: number | undefined;
  readonly pricing?: TargetPricing | undefined;
  /** What the target can take; an absent field means "assumed yes / unlimited". */
  readonly capabilities?: TargetCapabilities | undefined;
}

/**
 * How a group orders its targets for each request: `priority` keeps config order; `weighted` draws by weight;
 * `least-latency` prefers the lowest recent latency (EWMA); `least-busy` the fewest in-flight requests;
 * `cost` the lowest estimated price for the request.
 */
export type RoutingStrategy = "priority" | "weighted" | "least-latency" | "least-busy" | "cost";

/** US dollars per million tokens. */
export interface TargetPricing {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
}

export interface TargetCapabilities {
  /** Input plus output tokens the model accepts. */
  readonly contextWindow?: number | undefined;
  readonly tools?: boolean | undefined;
  readonly vision?: boolean | undefined;
}

/** Conditional routing: the first rule whose every non-empty condition matches picks the route. */
export interface RoutingRuleConfig {
  readonly name: string;
  readonly when: {
    /** Public model names as requested. */
    readonly models: readonly string[];
    /** Virtual key ids or names; `master` matches the master key. */
    readonly keys: readonly string[];
    /** The key's `team` metadata. */
    readonly teams: readonly string[];
    /** The key's `project` metadata. */
    readonly projects: readonly string[];
    /** Key metadata name → accepted values. */
    readonly metadata: Readonly<Record<string, readonly string[]>>;
    /** Request header name → accepted values. */
    readonly headers: Readonly<Record<string, readonly string[]>>;
    /** Requested features; each given one must equal what the request asks for. */
    readonly features: {
      readonly tools?: boolean | undefined;
      readonly images?: boolean | undefined;
      readonly jsonMode?: boolean | undefined;
    };
  };
  readonly use: {
    /** Route to this model group instead of the requested one. */
    readonly group?: string | undefined;
    /** Keep only these targets (`provider/model` labels or provider names) of the group. */
    readonly targets?: readonly string[] | undefined;
  };
}

export interface RoutingConfig {
  readonly rules: readonly RoutingRuleConfig[];
  /** Weight in (0, 1] of the newest sample in the latency EWMA. */
  readonly latencySmoothing: number;
  /** Latency samples older than this count as unknown (the target is tried again). */
  readonly latencyStaleAfterMs: number;
}

export interface BackpressureConfig {
  /** Requests served at once across all targets; undefined means no global limit. */
  readonly maxConcurrent?: number | undefined;
  /** Requests waiting for a slot at most; beyond it new ones get 503 GW_ERR_OVERLOADED_QUEUE_FULL. */
  readonly maxQueue: number;
  /** Longest wait for a slot before 503 GW_ERR_OVERLOADED_QUEUE_TIMEOUT. */
  readonly queueTimeoutMs: number;
  /** New requests are shed while the event loop's recent delay is above this; undefined means never. */
  readonly maxEventLoopLagMs?: number | undefined;
  readonly retryAfterSeconds: number;
}

export interface RequestLogConfig {
  readonly flushIntervalMs: number;
  readonly maxBatchSize: number;
  /** Rows held in memory at most; beyond it new rows are dropped and counted, never blocking requests. */
  readonly maxQueueSize: number;
}

export interface LeverCacheConfig {
  /** How often each node reloads the incident levers set or cleared elsewhere; the bound on how late it sees them. */
  readonly refreshIntervalMs: number;
}

export interface KeyCacheConfig {
  /** How often the in-memory key cache picks up keys created or revoked elsewhere (e.g. by the CLI). */
  readonly refreshIntervalMs: number;
}

export interface AuditConfig {
  /** A signed checkpoint once this many records follow the latest one. */
  readonly checkpointEvery: number;
  /** ...or once the latest checkpoint is this old and records follow it. */
  readonly checkpointIntervalMs: number;
  /** PEM file with the Ed25519 checkpoint signing key, created (mode 0600) on first use when missing. */
  readonly signingKeyFile: string;
  /** A PEM private key from `SWITCHYARD_AUDIT_SIGNING_KEY`; when set it wins over the file (shared by nodes). */
  readonly signingKey: string | undefined;
}

export type SimulatorFaultKind = "429" | "500" | "reset" | "stall" | "cut-mid-stream" | "malformed-sse";

export interface SimulatorFault {
  readonly kind: SimulatorFaultKind;
  /** Probability in [0, 1] that a request gets this fault. */
  readonly rate: number;
}

export interface SimulatorSettings {
  /** Delay before the response headers (non-streaming: before the whole body). */
  readonly latencyMs: number;
  /** Streaming pace; 0 sends all chunks at once. */
  readonly tokensPerSecond: number;
  /** Model names listed by `GET /v1/models`; any name is accepted for completions. */
  readonly models: readonly string[];
  readonly faults: readonly SimulatorFault[];
  /** Default embedding vector length when the request gives no `dimensions`. */
  readonly embeddingDimensions: number;
}

/** Where in a request's life a policy looks. `indirect` is content the caller did not write (tool results). */
export type PolicyStage = "input" | "indirect" | "output" | "tool-call";

/** What a policy does with a detection; `flag` and `log` only record it. */
export type PolicyAction = "block" | "redact" | "mask" | "flag" | "log";

/** Whom a policy or tool rule applies to. Each non-empty list must match; empty lists match everyone. */
export interface PolicyScope {
  /** Public model names (model groups) as the client sends them. */
  readonly models: readonly string[];
  /** Virtual key ids or names; `master` matches the master key. */
  readonly keys: readonly string[];
  readonly teams: readonly string[];
  readonly projects: readonly string[];
  /** Values of the `x-switchyard-risk-tier` request header. */
  readonly riskTiers: readonly string[];
}

export interface SafetyPolicyConfig {
  /** Unique; named in errors, the request log and audit records. */
  readonly name: string;
  readonly stages: readonly PolicyStage[];
  readonly scope: PolicyScope;
  readonly detectors: readonly DetectorFamily[];
  /** Detection types this policy acts on; empty means every type its detectors report. */
  readonly types: readonly string[];
  /** Detections scoring below this are ignored. */
  readonly minScore: number;
  readonly action: PolicyAction;
  /** Records what the policy would have done without changing the traffic. */
  readonly dryRun: boolean;
}

export interface ToolPolicyConfig {
  readonly scope: PolicyScope;
  /** Tool (function) names the model may call; a call to any other is blocked. */
  readonly allow: readonly string[];
  /** Check each call's arguments against the request's tool `parameters` JSON Schema. */
  readonly validateArguments: boolean;
}

export interface SafetyConfig {
  readonly policies: readonly SafetyPolicyConfig[];
  readonly tools: readonly ToolPolicyConfig[];
  /**
   * Ask this provider's `/moderations` endpoint (instead of the local rules) about the texts of the input and
   * indirect stages; the output stage keeps the local rules.
   */
  readonly moderation?: SafetyModerationConfig | undefined;
}

export interface SafetyModerationConfig {
  /** An `openai` or `openai-compatible` provider from `providers`. */
  readonly provider: string;
  /** Default `omni-moderation-latest`. */
  readonly model?: string | undefined;
}

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

/** What a limit rule keeps separate counters by; `user` is the end user (`x-switchyard-user` or `user`). */
export type LimitDimension = "key" | "project" | "team" | "model" | "user";

/** Which requests a limit rule applies to. Each non-empty list must match; empty lists match everyone. */
export interface LimitScope {
  /** Virtual key ids or names; `master` matches the master key. */
  readonly keys: readonly string[];
  readonly teams: readonly string[];
  readonly projects: readonly string[];
  /** Public model names (model groups) as the client sends them. */
  readonly models: readonly string[];
}

export interface LimitRuleConfig {
  /** Unique; named in the 429 message and in bucket keys. */
  readonly name: string;
  /**
   * One counter per distinct combination of these values (empty: one counter for every request in scope).
   * A request lacking one of the values (no team, no end user) is not counted by the rule.
   */
  readonly per: readonly LimitDimension[];
  readonly scope: LimitScope;
  readonly requestsPerMinute?: number | undefined;
  /** Reserved from an estimate before the call, corrected with the reported usage afterwards. */
  readonly tokensPerMinute?: number | undefined;
  readonly concurrentRequests?: number | undefined;
}

export interface LimitsRedisConfig {
  readonly url: string;
  readonly keyPrefix: string;
  readonly commandTimeoutMs: number;
  /** A concurrency slot left behind by a node that died frees itself after this long. */
  readonly leaseTtlMs: number;
}

export interface LimitsConfig {
  readonly rules: readonly LimitRuleConfig[];
  /** Shared counters for every node using it; absent means counters in this process's memory. */
  readonly redis?: LimitsRedisConfig | undefined;
  /** Output tokens reserved for a request that sets no `max_tokens` / `max_completion_tokens`. */
  readonly defaultMaxOutputTokens: number;
  /** When the counter store fails (Redis down): let requests through, or refuse them with 503. */
  readonly onStoreError: "allow" | "refuse";
}

export type BudgetScope = "key" | "project" | "team";
export type BudgetPeriod = "day" | "week" | "month";

export interface BudgetConfig {
  /** Unique; named in errors, webhooks and counters. */
  readonly name: string;
  /** What the budget is per: each key, project or team has its own counter. */
  readonly scope: BudgetScope;
  /** Key ids or names, project or team names the budget covers; empty covers every one. */
  readonly match: readonly string[];
  /** Calendar-aligned in `timezone`: a day from midnight, a week from Monday, a month from the 1st. */
  readonly period: BudgetPeriod;
  readonly limitUsd: number;
  /** Default: `cost.timezone`. */
  readonly timezone?: string | undefined;
  /** Hard budgets refuse requests whose worst-case cost does not fit; soft ones only alert. */
  readonly hard: boolean;
  /** Fractions of the limit (0.5 = 50%) at which the webhook is told, once per period. */
  readonly thresholds: readonly number[];
  /** When spend reaches `atFraction` of the limit, requests go to this model group instead. */
  readonly downgrade?: { readonly model: string; readonly atFraction: number } | undefined;
}

export interface CostConfig {
  /** Price overrides in USD per million tokens, by `provider/model` or by model name. */
  readonly prices: Readonly<Record<string, ModelPrice>>;
  /** Output tokens a budget reserves for a request that sets no `max_tokens` / `max_completion_tokens`. */
  readonly defaultMaxOutputTokens: number;
  /** Count tokens with gpt-tokenizer when a provider reports no usage; such rows are flagged as estimated. */
  readonly estimateMissingUsage: boolean;
  /** `block`: a budgeted caller cannot use a model without a price (its spend could not be counted). */
  readonly unpricedModels: "allow" | "block";
  /** Default time zone of budget periods. */
  readonly timezone: string;
  /** Shared budget counters (one Lua round trip per reservation); absent: in memory, one node. */
  readonly redis?: { readonly url: string; readonly keyPrefix: string } | undefined;
  /** Threshold alerts are POSTed here as JSON. */
  readonly webhook?: { readonly url: string; readonly headers: Readonly<Record<string, string>> } | undefined;
  readonly budgets: readonly BudgetConfig[];
}

export interface TelemetryConfig {
  readonly traces: TracesConfig;
}

/**
 * OpenTelemetry traces, from `telemetry.traces` in the file; what it leaves out comes from the standard
 * `OTEL_*` environment variables, then the defaults below.
 */
export interface TracesConfig {
  /** Off by default (or `OTEL_SDK_DISABLED`); on when set, or when an `OTEL_EXPORTER_OTLP_*ENDPOINT` is set. */
  readonly enabled: boolean;
  /** OTLP/HTTP traces URL, e.g. `http://collector:4318/v1/traces`. */
  readonly endpoint: string;
  /** Sent with every export (e.g. an API key of the tracing backend). */
  readonly headers: Readonly<Record<string, string>>;
  /** Share of new traces kept, 0..1 (a trace-id ratio, so every node of a cluster agrees). */
  readonly sampleRatio: number;
  /** Follow the client's `traceparent` sampled flag when one is sent (the ratio applies to new traces). */
  readonly parentBased: boolean;
  readonly serviceName: string;
  /** How long spans wait in memory before a batch is exported. */
  readonly scheduledDelayMs: number;
  /** Spans held at most while the backend is slow; beyond it new spans are dropped, never blocking requests. */
  readonly maxQueueSize: number;
  readonly exportTimeoutMs: number;
  readonly content: TraceContentConfig;
}

/**
 * Prompt and completion text on request spans (`gen_ai.input.messages`, `gen_ai.output.messages`): off unless
 * opted in, and then only for requests an input safety policy that redacts or masks applies to.
 */
export interface TraceContentConfig {
  readonly enabled: boolean;
  /** Text characters kept per attribute; longer content is cut and the span says so. */
  readonly maxChars: number;
  /** Model groups (as requested) whose requests record content; absent: every group. */
  readonly models: readonly string[] | undefined;
  /** Teams (from the virtual key) whose requests record content; absent: every team. */
  readonly teams: readonly string[] | undefined;
}

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
