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
  readonly audit: AuditConfig;
  readonly safety: SafetyConfig;
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

export type ProviderType = "openai" | "openai-compatible" | "simulator";

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
  /** Tried in order: a target is used when the ones before it failed before answering. */
  readonly targets: readonly ModelTargetConfig[];
}

export interface ModelTargetConfig {
  readonly provider: string;
  /** The upstream model name; when absent the client's model name is sent unchanged. */
  readonly model: string | undefined;
  /** Request fields applied to every request sent to this target, overriding the client's. */
  readonly params: Readonly<Record<string, unknown>>;
}

export interface RequestLogConfig {
  readonly flushIntervalMs: number;
  readonly maxBatchSize: number;
  /** Rows held in memory at most; beyond it new rows are dropped and counted, never blocking requests. */
  readonly maxQueueSize: number;
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
