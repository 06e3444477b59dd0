import { describe, expect, it } from "vitest";
import type { SwitchyardConfig } from "../core/gateway-config.js";
import { configAuditView } from "./config-audit-view.js";

const config: SwitchyardConfig = {
  source: "file",
  server: { host: "0.0.0.0", port: 4000, bodyLimitBytes: 1024 },
  storage: { url: "postgres://switchyard:hunter2@db:5432/gw", schema: undefined },
  providers: [
    {
      name: "openai",
      type: "openai",
      baseUrl: "https://api.openai.com/v1",
      apiKey: "sk-live-very-secret",
      headers: { "OpenAI-Organization": "org-secret" },
      timeouts: { connectMs: 1, headersMs: 2, idleMs: 3 },
      simulator: undefined,
    },
  ],
  models: [
    { name: "fast", targets: [{ provider: "openai", model: "gpt-4o-mini", params: { temperature: 0 } }] },
  ],
  requestLog: { flushIntervalMs: 1000, maxBatchSize: 500, maxQueueSize: 10 },
  keys: { refreshIntervalMs: 1000 },
  resilience: {
    retries: {
      maxRetriesPerTarget: 0,
      retryOn: ["rate-limited"],
      baseDelayMs: 100,
      maxDelayMs: 2000,
      maxRetryAfterMs: 5000,
    },
    retryBudget: { ratio: 0.2, minRetriesPerSecond: 5, windowMs: 10_000 },
    fallbackOn: ["rate-limited", "server-error", "timeout"],
    timeouts: { firstTokenMs: undefined, totalMs: undefined },
    streamHoldBackMs: 1000,
    circuitBreaker: {
      enabled: true,
      consecutiveFailures: 5,
      failureRateThreshold: 0.5,
      windowMs: 30_000,
      minimumRequests: 20,
      cooldownMs: 30_000,
    },
    groups: {},
  },
  telemetry: {
    traces: {
      enabled: false,
      endpoint: "http://localhost:4318/v1/traces",
      headers: {},
      sampleRatio: 1,
      parentBased: true,
      serviceName: "switchyard",
      scheduledDelayMs: 2000,
      maxQueueSize: 8192,
      exportTimeoutMs: 10_000,
      content: { enabled: false, maxChars: 2000, models: undefined, teams: undefined },
    },
  },
  safety: {
    policies: [
      {
        name: "mask-pii",
        stages: ["input"],
        scope: { models: [], keys: [], teams: [], projects: [], riskTiers: [] },
        detectors: ["pii"],
        types: [],
        minScore: 0.5,
        action: "mask",
        dryRun: false,
      },
    ],
    tools: [],
  },
  limits: {
    rules: [
      {
        name: "per-key",
        per: ["key"],
        scope: { keys: [], teams: [], projects: [], models: [] },
        requestsPerMinute: 60,
      },
    ],
    redis: {
      url: "redis://:redis-secret@cache:6379",
      keyPrefix: "sy:",
      commandTimeoutMs: 1000,
      leaseTtlMs: 600_000,
    },
    defaultMaxOutputTokens: 4096,
    onStoreError: "allow",
  },
  audit: {
    checkpointEvery: 100,
    checkpointIntervalMs: 60_000,
    signingKeyFile: "/data/audit-signing-key.pem",
    signingKey: "-----BEGIN PRIVATE KEY----- signing secret",
  },
  cost: {
    prices: {},
    defaultMaxOutputTokens: 4096,
    estimateMissingUsage: true,
    unpricedModels: "block",
    timezone: "UTC",
    redis: { url: "redis://default:redis-secret@cache:6379", keyPrefix: "switchyard:" },
    webhook: { url: "https://hooks.example/budget", headers: { authorization: "Bearer hook-secret" } },
    budgets: [],
  },
  slos: [],
  sloAlerting: {
    evaluateIntervalMs: 30_000,
    persistIntervalMs: 10_000,
    webhooks: [
      {
        name: "slack",
        format: "slack",
        url: "https://hooks.slack.example/services/T000/B000/slack-webhook-secret",
        routingKey: undefined,
        headers: {},
        severities: ["page"],
      },
    ],
    maxAttempts: 5,
    retryBaseMs: 1000,
    timeoutMs: 10_000,
    source: undefined,
  },
  logLevel: "info",
  masterKey: "sy-master-secret",
};

describe("configAuditView", () => {
  it("keeps what routes requests and never a secret", () => {
    const view = configAuditView(config);
    const text = JSON.stringify(view);
    for (const secret of [
      "sk-live-very-secret",
      "org-secret",
      "redis-secret",
      "hook-secret",
      "hunter2",
      "sy-master-secret",
      "signing secret",
      "redis-secret",
      "slack-webhook-secret",
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(view).toMatchObject({
      storage: { url: "postgres://switchyard:***@db:5432/gw", schema: null },
      providers: [{ name: "openai", apiKey: expect.stringMatching(/^sha256:[0-9a-f]{12}$/) }],
      models: [{ name: "fast", targets: [{ model: "gpt-4o-mini", params: { temperature: 0 } }] }],
      safety: { policies: [{ name: "mask-pii", action: "mask", detectors: ["pii"] }] },
      limits: {
        rules: [{ name: "per-key", requestsPerMinute: 60 }],
        redis: { url: "redis://:***@cache:6379" },
      },
    });
  });

  it("keeps Azure settings and presets, fingerprinting the Entra token", () => {
    const base = config.providers[0] as SwitchyardConfig["providers"][number];
    const view = configAuditView({
      ...config,
      providers: [
        {
          ...base,
          name: "azure",
          type: "azure-openai",
          azure: {
            endpoint: "https://contoso.openai.azure.com",
            apiVersion: "2024-10-21",
            api: "deployments",
            entraToken: "eyJ-entra-secret",
          },
        },
        { ...base, name: "groq", type: "openai-compatible", preset: "groq" },
      ],
    });
    expect(JSON.stringify(view)).not.toContain("eyJ-entra-secret");
    expect(view).toMatchObject({
      providers: [
        {
          name: "azure",
          azure: {
            endpoint: "https://contoso.openai.azure.com",
            apiVersion: "2024-10-21",
            api: "deployments",
            entraToken: expect.stringMatching(/^sha256:[0-9a-f]{12}$/),
          },
        },
        { name: "groq", preset: "groq" },
      ],
    });
  });

  it("shows that a secret changed without showing it", () => {
    const rotated = {
      ...config,
      providers: [{ ...(config.providers[0] as SwitchyardConfig["providers"][number]), apiKey: "sk-new" }],
    };
    const before = JSON.stringify(configAuditView(config));
    const after = JSON.stringify(configAuditView(rotated));
    expect(after).not.toBe(before);
    expect(JSON.stringify(configAuditView(config))).toBe(before);
  });

  it("shows a bedrock provider's region and fingerprints of its keys, never the keys", () => {
    const withBedrock: SwitchyardConfig = {
      ...config,
      providers: [
        {
          name: "aws",
          type: "bedrock",
          baseUrl: "https://bedrock-runtime.us-east-1.amazonaws.com",
          apiKey: undefined,
          headers: {},
          timeouts: { connectMs: 1, headersMs: 2, idleMs: 3 },
          simulator: undefined,
          bedrock: {
            region: "us-east-1",
            auth: {
              kind: "sigv4",
              accessKeyId: "AKIAVERYSECRET",
              secretAccessKey: "aws-secret-value",
              sessionToken: "aws-session-value",
            },
          },
        },
      ],
    };
    const text = JSON.stringify(configAuditView(withBedrock));
    for (const secret of ["AKIAVERYSECRET", "aws-secret-value", "aws-session-value"]) {
      expect(text).not.toContain(secret);
    }
    expect(JSON.parse(text).providers[0].bedrock).toMatchObject({
      region: "us-east-1",
      auth: "sigv4",
      accessKeyId: expect.stringMatching(/^sha256:[0-9a-f]{12}$/),
      secretAccessKey: expect.stringMatching(/^sha256:[0-9a-f]{12}$/),
      sessionToken: expect.stringMatching(/^sha256:[0-9a-f]{12}$/),
    });
  });
});
