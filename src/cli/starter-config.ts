/** What `switchyard init` writes: a config that serves as-is (on the simulator) and shows every section. */
export const starterConfig = `# Switchyard configuration. Validate with: switchyard config check switchyard.yaml
# Unknown keys are errors. Values like \${env:NAME} are read from the environment at start and on reload (SIGHUP).

server:
  host: 0.0.0.0
  port: 4000               # --port and PORT override this
  bodyLimitBytes: 4194304  # larger request bodies get 413

storage:
  url: sqlite:.switchyard/switchyard.db   # relative to this file; or postgres://user@host:5432/db

providers:
  # The built-in simulator: an OpenAI-compatible upstream that needs no key. Good for trying things out.
  - name: simulator
    type: simulator
    simulator:
      latencyMs: 50
      tokensPerSecond: 200
      models: [sim-small, sim-large]
      faults: []           # e.g. [{ kind: "429", rate: 0.1 }]; kinds: 429, 500, reset, stall, cut-mid-stream, malformed-sse

  # OpenAI itself (also serves POST /v1/responses natively; other providers get Responses translated):
  # - name: openai
  #   type: openai
  #   apiKey: \${env:OPENAI_API_KEY}
  #   timeouts: { connectMs: 10000, headersMs: 120000, idleMs: 120000 }

  # Anthropic (Messages API). OpenAI-SDK clients reach it too, translated; see docs/providers.md:
  # - name: anthropic
  #   type: anthropic
  #   apiKey: \${env:ANTHROPIC_API_KEY}
  #   anthropicVersion: "2023-06-01"   # default; a client's own anthropic-version header wins

  # Google Gemini (AI Studio; x-goog-api-key). OpenAI and Anthropic SDK clients reach it translated, and
  # OpenAI /v1/embeddings requests go to :batchEmbedContents; see docs/providers.md:
  # - name: gemini
  #   type: gemini
  #   apiKey: \${env:GEMINI_API_KEY}
  # Gemini on Vertex AI instead: apiKey is an OAuth access token (gcloud auth print-access-token, 1 hour):
  # - name: vertex
  #   type: gemini
  #   apiKey: \${env:VERTEX_ACCESS_TOKEN}
  #   vertex: { project: my-project, location: us-central1 }

  # Amazon Bedrock (Converse / ConverseStream, Titan embeddings); both SDKs reach it, translated. Credentials
  # default to AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN / AWS_REGION; see docs/providers.md:
  # - name: aws
  #   type: bedrock
  #   bedrock:
  #     region: us-east-1
  #     accessKeyId: \${env:AWS_ACCESS_KEY_ID}
  #     secretAccessKey: \${env:AWS_SECRET_ACCESS_KEY}
  #   # apiKey: \${env:AWS_BEARER_TOKEN_BEDROCK}   # a Bedrock API key instead of SigV4

  # Any OpenAI-compatible server (vLLM, Ollama, TGI, Groq, Together, OpenRouter, …):
  # - name: local-vllm
  #   type: openai-compatible
  #   baseUrl: http://127.0.0.1:8000/v1
  #   headers: { X-Team: platform }
  # A preset supplies the base URL, the key's environment variable and known differences; presets: vllm,
  # ollama, tgi (baseUrl required), groq, together, mistral, deepseek, fireworks, openrouter:
  # - name: groq
  #   type: openai-compatible
  #   preset: groq                        # https://api.groq.com/openai/v1, key from GROQ_API_KEY
  # - name: ollama
  #   type: openai-compatible
  #   preset: ollama                      # http://localhost:11434/v1, no key; embeddings too

  # Azure OpenAI. The target's model is the deployment name (api: deployments, the default), or the model
  # itself with api: v1. Key sent as api-key; or azure.entraToken / AZURE_OPENAI_AD_TOKEN as a bearer token:
  # - name: azure
  #   type: azure-openai
  #   apiKey: \${env:AZURE_OPENAI_API_KEY}
  #   azure:
  #     endpoint: https://my-resource.openai.azure.com
  #     apiVersion: "2024-10-21"          # default; deployment URLs only
  #     api: deployments                  # or v1: /openai/v1/..., no api-version

models:
  # Public model names clients send, each mapped to targets tried in order (the next one is used when a
  # target fails before answering: connection errors, timeouts, 429 and 5xx).
  - name: fast
    targets:
      - provider: simulator
        model: sim-small
        params: { temperature: 0.2 }   # applied to every request sent to this target
  # A strategy orders the targets per request (docs/routing.md): priority (default) | weighted |
  # least-latency | least-busy | cost.
  # - name: balanced
  #   strategy: weighted
  #   contextFallback: fast-long         # a group with a larger window for requests that do not fit
  #   targets:
  #     - provider: simulator
  #       model: sim-small
  #       weight: 3
  #       maxConcurrency: 32             # in flight at once; more wait in the backpressure queue
  #       pricing: { inputPerMTok: 0.15, outputPerMTok: 0.6 }
  #       capabilities: { contextWindow: 8192, tools: true, vision: false }
  #     - { provider: simulator, model: sim-large, weight: 1 }
  # "*" catches every other model name and sends it upstream unchanged:
  - name: "*"
    targets:
      - provider: simulator

requestLog:
  flushIntervalMs: 1000    # request-log rows are written in batches, off the request path
  maxBatchSize: 500
  maxQueueSize: 100000

keys:
  refreshIntervalMs: 1000  # keys created or revoked by the CLI take effect within this interval

# Conditional routing (docs/routing.md): the first matching rule picks a group or a subset of targets.
# routing:
#   rules:
#     - name: high-risk
#       when: { headers: { x-switchyard-risk-tier: [high] } }   # also models, keys, teams, projects, metadata, features
#       use: { group: fast }

# Backpressure (docs/routing.md): limits, a bounded queue, 503 + Retry-After when overloaded.
# backpressure:
#   maxConcurrent: 256
#   maxQueue: 100
#   queueTimeoutMs: 10000
#   maxEventLoopLagMs: 200

# OpenTelemetry traces (docs/observability.md); off by default, or set OTEL_EXPORTER_OTLP_ENDPOINT.
# telemetry:
#   traces:
#     enabled: true
#     endpoint: http://localhost:4318/v1/traces   # OTLP/HTTP
#     sampleRatio: 1                              # share of new traces kept
#     content: { enabled: false, maxChars: 2000 } # prompts/completions on spans; needs an input redact/mask policy

# Safety policies (docs/safety-policy.md): detectors and actions per stage and scope, tool allowlists.
# safety:
#   policies:
#     - name: mask-pii
#       stages: [input, indirect]          # input | indirect | output | tool-call
#       scope: { riskTiers: [external] }   # also models, keys, teams, projects; header x-switchyard-risk-tier
#       detectors: [pii]                   # pii | secrets | injection | moderation
#       action: mask                       # block | redact | mask | flag | log; dryRun: true to only record
#   tools:
#     - allow: [lookup_invoice]
#       validateArguments: true

# Rate limits (docs/rate-limits.md): requests, tokens and requests in flight per key, project, team,
# model and end user (x-switchyard-user header or the body's user field).
# limits:
#   redis: { url: "redis://127.0.0.1:6379" }   # counters shared by every node; absent = in memory
#   rules:
#     - name: per-key
#       per: [key]                         # key | project | team | model | user; [] = one shared counter
#       requestsPerMinute: 600
#       tokensPerMinute: 200000            # reserved from an estimate, reconciled with the usage
#       concurrentRequests: 20

# Cost and budgets (docs/cost.md). Every request is priced from the shipped catalog; override prices here
# (USD per million tokens). Budgets reserve the worst-case cost before a call and settle after it.
# cost:
#   prices:
#     my-finetune: { input: 3, output: 12, cachedRead: 1.5 }
#   timezone: UTC
#   redis: { url: "redis://127.0.0.1:6379" }      # shared counters for several nodes; omit for one
#   webhook: { url: "https://hooks.example/budget" }
#   budgets:
#     - name: team-monthly
#       scope: team                  # key | project | team (from the key's team / project metadata)
#       period: month                # day | week | month, calendar-aligned in the time zone
#       limitUsd: 500
#       thresholds: [0.5, 0.8, 1]    # webhook once per period at each
#       downgrade: { model: fast, atFraction: 0.9 }

# SLOs and burn-rate alerts (docs/slos.md): evaluated in the gateway, alerts sent to webhooks.
# slos:
#   - name: fast-availability
#     kind: availability                   # availability | latency (with latency: { measure, thresholdMs })
#     objective: 0.999                     # 99.9% of requests are not server errors...
#     window: 28d                          # ...over 28 days (the default)
#     scope: { models: [fast] }            # also routes, teams (key metadata team=...)
# sloAlerting:
#   webhooks:
#     - { name: oncall, format: slack, url: "\${env:SLACK_WEBHOOK_URL}", severities: [page, ticket] }
`;
