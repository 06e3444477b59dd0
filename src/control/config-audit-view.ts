import { hash } from "node:crypto";
import type { JsonValue } from "../core/audit-record.js";
import type { BedrockSettings, SwitchyardConfig } from "../core/gateway-config.js";

/**
 * The config as the audit log keeps it for `config.reload`: everything that changes routing or safety policy, with every secret
 * (provider keys, header values, passwords in URLs) replaced by a short hash so a change is visible but the value
 * is not. The master key and the audit signing key are left out.
 */
export function configAuditView(config: SwitchyardConfig): JsonValue {
  return toJson({
    server: config.server,
    storage: { url: withoutPassword(config.storage.url), schema: config.storage.schema ?? null },
    providers: config.providers.map((provider) => ({
      name: provider.name,
      type: provider.type,
      baseUrl: provider.baseUrl === undefined ? null : withoutPassword(provider.baseUrl),
      apiKey: provider.apiKey === undefined ? null : fingerprint(provider.apiKey),
      headers: Object.fromEntries(
        Object.entries(provider.headers).map(([name, value]) => [name, fingerprint(value)]),
      ),
      timeouts: provider.timeouts,
      simulator: provider.simulator ?? null,
      ...(provider.preset === undefined ? {} : { preset: provider.preset }),
      ...(provider.azure === undefined
        ? {}
        : {
            azure: {
              ...provider.azure,
              entraToken:
                provider.azure.entraToken === undefined ? null : fingerprint(provider.azure.entraToken),
            },
          }),
      ...(provider.bedrock === undefined ? {} : { bedrock: bedrockAuditView(provider.bedrock) }),
    })),
    models: config.models,
    requestLog: config.requestLog,
    keys: config.keys,
    safety: config.safety,
    routing: config.routing ?? null,
    backpressure: config.backpressure ?? null,
    resilience: config.resilience,
    limits: {
      ...config.limits,
      redis:
        config.limits.redis === undefined
          ? null
          : { ...config.limits.redis, url: withoutPassword(config.limits.redis.url) },
    },
    cost: {
      ...config.cost,
      redis:
        config.cost.redis === undefined
          ? null
          : { ...config.cost.redis, url: withoutPassword(config.cost.redis.url) },
      webhook:
        config.cost.webhook === undefined
          ? null
          : {
              url: withoutPassword(config.cost.webhook.url),
              headers: Object.fromEntries(
                Object.entries(config.cost.webhook.headers).map(([name, value]) => [
                  name,
                  fingerprint(value),
                ]),
              ),
            },
    },
    slos: config.slos,
    // Webhook URLs (Slack) and routing keys (PagerDuty) are credentials: fingerprints only.
    sloWebhooks: config.sloAlerting.webhooks.map((webhook) => ({
      name: webhook.name,
      format: webhook.format,
      url: fingerprint(webhook.url),
      routingKey: webhook.routingKey === undefined ? null : fingerprint(webhook.routingKey),
      severities: webhook.severities,
    })),
    audit: {
      checkpointEvery: config.audit.checkpointEvery,
      checkpointIntervalMs: config.audit.checkpointIntervalMs,
    },
  });
}

/** `sha256:` and the first 12 hex characters: enough to see that a secret changed, useless to recover it. */
function fingerprint(secret: string): string {
  return `sha256:${hash("sha256", secret, "hex").slice(0, 12)}`;
}

function withoutPassword(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, "//$1:***@");
}

/** Config values are plain data already (validated YAML); this drops `undefined` and types the result. */
function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

/** A bedrock provider's region, with its keys or API key as fingerprints. */
function bedrockAuditView(settings: BedrockSettings): Record<string, string | null> {
  const auth = settings.auth;
  if (auth.kind === "bearer")
    return { region: settings.region, auth: auth.kind, token: fingerprint(auth.token) };
  return {
    region: settings.region,
    auth: auth.kind,
    accessKeyId: fingerprint(auth.accessKeyId),
    secretAccessKey: fingerprint(auth.secretAccessKey),
    sessionToken: auth.sessionToken === undefined ? null : fingerprint(auth.sessionToken),
  };
}
