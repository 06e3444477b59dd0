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

  # OpenAI itself:
  # - name: openai
  #   type: openai
  #   apiKey: \${env:OPENAI_API_KEY}
  #   timeouts: { connectMs: 10000, headersMs: 120000, idleMs: 120000 }

  # Any OpenAI-compatible server (vLLM, Ollama, TGI, Groq, Together, OpenRouter, …):
  # - name: local-vllm
  #   type: openai-compatible
  #   baseUrl: http://127.0.0.1:8000/v1
  #   headers: { X-Team: platform }

models:
  # Public model names clients send, each mapped to targets tried in order (the next one is used when a
  # target fails before answering: connection errors, timeouts, 429 and 5xx).
  - name: fast
    targets:
      - provider: simulator
        model: sim-small
        params: { temperature: 0.2 }   # applied to every request sent to this target
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
