import type { AzureOpenAiSettings } from "./azure-openai-settings.js";
import type { CostConfig } from "./cost-config.js";
import type { DetectorFamily } from "./detection.js";
import type { LimitsConfig } from "./limits-config.js";
import type { OpenAiCompatiblePresetName } from "./openai-compatible-presets.js";
import type { ResilienceConfig } from "./resilience-config.js";
import type { SloAlertingConfig, SloConfig } from "./slo-config.js";

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

export type ProviderType =
  | "openai"
  | "openai-compatible"
  | "anthropic"
  | "gemini"
  | "bedrock"
  | "simulator"
  | "azure-openai";

/** Only for `type: gemini`: reach Gemini through Vertex AI instead of AI Studio. */
export interface GeminiVertexSettings {
  readonly project: string;
  /** A Vertex region such as `us-central1`, or `global`. */
  readonly location: string;
}

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
  /** Only for `type: gemini`: Vertex AI; `apiKey` is then an OAuth access token sent as a bearer token. */
  readonly vertex?: GeminiVertexSettings | undefined;
  /** Only for `type: simulator`. */
  readonly simulator: SimulatorSettings | undefined;
  /** Only for `type: azure-openai`: endpoint, URL style, `api-version` and an optional Entra token. */
  readonly azure?: AzureOpenAiSettings | undefined;
  /** Only for `type: openai-compatible`: the named server whose defaults and capabilities apply. */
  readonly preset?: OpenAiCompatiblePresetName | undefined;
  /** Only for `type: bedrock`: the region and credentials, resolved from the file and the AWS variables. */
  readonly bedrock?: BedrockSettings | undefined;
}

/** How a bedrock provider authenticates: SigV4 with AWS keys, or a Bedrock API key as a bearer token. */
export type BedrockAuth =
  | {
      readonly kind: "sigv4";
      readonly accessKeyId: string;
      readonly secretAccessKey: string;
      readonly sessionToken: string | undefined;
    }
  | { readonly kind: "bearer"; readonly token: string };

export interface BedrockSettings {
  readonly region: string;
  readonly auth: BedrockAuth;
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

export type { BudgetConfig, BudgetPeriod, BudgetScope, CostConfig } from "./cost-config.js";
export type {
  LimitDimension,
  LimitRuleConfig,
  LimitScope,
  LimitsConfig,
  LimitsRedisConfig,
} from "./limits-config.js";
export type {
  CircuitBreakerSettings,
  FailureClass,
  ResilienceConfig,
  ResilienceGroupSettings,
  ResilienceTimeouts,
  RetryBudgetSettings,
  RetrySettings,
} from "./resilience-config.js";
export { defaultResilienceConfig } from "./resilience-config.js";
export type {
  SloAlertingConfig,
  SloConfig,
  SloKind,
  SloLatencyMeasure,
  SloScope,
  SloWebhookConfig,
  SloWebhookFormat,
} from "./slo-config.js";
