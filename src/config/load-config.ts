import { readFile } from "node:fs/promises";
import path from "node:path";
import { isNode, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import type { BedrockSettings, GeminiVertexSettings, SwitchyardConfig } from "../core/gateway-config.js";
import { bedrockRuntimeUrl, resolveBedrockSettings } from "./bedrock-config-schema.js";
import { type ConfigFile, configFileSchema, simulatorSettingsSchema } from "./config-schema.js";
import { deepFreeze } from "./deep-freeze.js";
import { geminiAiStudioBaseUrl, vertexBaseUrl } from "./gemini-config-schema.js";
import { resilienceConfig } from "./resilience-config-schema.js";
import { resolveOpenAiVariant } from "./resolve-openai-variant.js";
import { resolveTelemetryConfig } from "./resolve-telemetry-config.js";

/** Command-line values that win over the file and the environment. */
export interface ConfigOverrides {
  readonly port?: number | undefined;
  readonly host?: string | undefined;
  readonly dataDir?: string | undefined;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export interface ConfigIssue {
  /** Dotted path into the config, e.g. `providers[0].baseUrl`. */
  readonly path: string;
  readonly message: string;
  readonly line: number | undefined;
}

/** Raised for any config that cannot be served; `issues` lists every problem found, not just the first. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  constructor(source: string, issues: readonly ConfigIssue[]) {
    const lines = issues.map((issue) => {
      const where = issue.line === undefined ? "" : ` (line ${issue.line})`;
      return `  - ${issue.path || "(root)"}${where}: ${issue.message}`;
    });
    super(`Invalid configuration in ${source}:\n${lines.join("\n")}`);
    this.name = "ConfigError";
    this.issues = issues;
  }
}

const defaultDataDir = ".switchyard";
const defaultBaseUrls: Readonly<Record<string, string>> = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com/v1",
  gemini: geminiAiStudioBaseUrl,
};
/** The provider's base URL when the file gives none: Vertex and Bedrock URLs depend on their settings. */
function defaultBaseUrl(
  provider: { readonly type: string; readonly vertex?: GeminiVertexSettings | undefined },
  bedrock: BedrockSettings | undefined,
): string | undefined {
  if (provider.vertex !== undefined) return vertexBaseUrl(provider.vertex);
  if (bedrock !== undefined) return bedrockRuntimeUrl(bedrock.region);
  return defaultBaseUrls[provider.type];
}

const envReference = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

export async function loadConfigFile(
  filePath: string,
  environment: Environment,
  overrides: ConfigOverrides = {},
): Promise<SwitchyardConfig> {
  let text: string;
  try {
    text = await readFile(filePath, "utf8");
  } catch (error) {
    throw new ConfigError(filePath, [
      { path: "", message: `cannot read file: ${describe(error)}`, line: undefined },
    ]);
  }
  return parseConfigText(text, filePath, environment, overrides);
}

export function parseConfigText(
  text: string,
  source: string,
  environment: Environment,
  overrides: ConfigOverrides = {},
): SwitchyardConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      source,
      document.errors.map((error) => ({
        path: "",
        message: `YAML syntax: ${error.message.split("\n")[0]}`,
        line: error.linePos?.[0]?.line,
      })),
    );
  }
  const lineOf = (issuePath: readonly PropertyKey[]): number | undefined => {
    for (let length = issuePath.length; length >= 0; length -= 1) {
      const node = document.getIn(issuePath.slice(0, length) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const interpolationIssues: ConfigIssue[] = [];
  const raw = interpolateEnvironment(document.toJS(), [], environment, (issuePath, message) =>
    interpolationIssues.push({ path: formatPath(issuePath), message, line: lineOf(issuePath) }),
  );
  if (interpolationIssues.length > 0) throw new ConfigError(source, interpolationIssues);
  const parsed = configFileSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConfigError(source, toIssues(parsed.error, lineOf));
  return deepFreeze(buildConfig(parsed.data, "file", environment, overrides, path.dirname(source)));
}

/** With no config file: providers from the environment, every model name routed to the first provider. */
export function configFromEnvironment(
  environment: Environment,
  overrides: ConfigOverrides = {},
): SwitchyardConfig {
  const providers: Record<string, unknown>[] = [];
  const openAiKey = nonEmpty(environment.OPENAI_API_KEY);
  const openAiBaseUrl = nonEmpty(environment.OPENAI_BASE_URL);
  if (openAiKey !== undefined || openAiBaseUrl !== undefined) {
    providers.push({
      name: "openai",
      type: openAiBaseUrl === undefined ? "openai" : "openai-compatible",
      ...(openAiBaseUrl === undefined ? {} : { baseUrl: openAiBaseUrl }),
      ...(openAiKey === undefined ? {} : { apiKey: openAiKey }),
    });
  }
  const anthropicKey = nonEmpty(environment.ANTHROPIC_API_KEY);
  if (anthropicKey !== undefined) {
    const anthropicBaseUrl = nonEmpty(environment.ANTHROPIC_BASE_URL);
    providers.push({
      name: "anthropic",
      type: "anthropic",
      apiKey: anthropicKey,
      ...(anthropicBaseUrl === undefined ? {} : { baseUrl: anthropicBaseUrl }),
    });
  }
  const geminiKey = nonEmpty(environment.GEMINI_API_KEY);
  if (geminiKey !== undefined) {
    const geminiBaseUrl = nonEmpty(environment.GEMINI_BASE_URL);
    providers.push({
      name: "gemini",
      type: "gemini",
      apiKey: geminiKey,
      ...(geminiBaseUrl === undefined ? {} : { baseUrl: geminiBaseUrl }),
    });
  }
  const azure = azureFromEnvironment(environment);
  if (azure !== undefined) providers.push(azure);
  const bedrockProvider = bedrockFromEnvironment(environment);
  if (bedrockProvider !== undefined) providers.push(bedrockProvider);
  if (providers.length === 0) providers.push({ name: "simulator", type: "simulator" });
  const parsed = configFileSchema.safeParse({
    providers,
    models: [{ name: "*", targets: [{ provider: providers[0]?.name }] }],
  });
  if (!parsed.success)
    throw new ConfigError(
      "environment",
      toIssues(parsed.error, () => undefined),
    );
  return deepFreeze(buildConfig(parsed.data, "environment", environment, overrides, process.cwd()));
}

/**
 * `AZURE_OPENAI_ENDPOINT` with `AZURE_OPENAI_API_KEY` or `AZURE_OPENAI_AD_TOKEN` (the names the official
 * SDKs read): an `azure-openai` provider on deployment URLs; `OPENAI_API_VERSION` picks the `api-version`.
 */
function azureFromEnvironment(environment: Environment): Record<string, unknown> | undefined {
  const endpoint = nonEmpty(environment.AZURE_OPENAI_ENDPOINT);
  const key = nonEmpty(environment.AZURE_OPENAI_API_KEY);
  const token = nonEmpty(environment.AZURE_OPENAI_AD_TOKEN);
  if (endpoint === undefined || (key === undefined && token === undefined)) return undefined;
  const apiVersion = nonEmpty(environment.OPENAI_API_VERSION);
  return {
    name: "azure",
    type: "azure-openai",
    azure: { endpoint, ...(apiVersion === undefined ? {} : { apiVersion }) },
  };
}

/**
 * A bedrock provider when the environment holds a Bedrock API key, or AWS keys together with a region; the
 * region and credentials themselves are resolved from the same variables (`resolveBedrockSettings`).
 */
function bedrockFromEnvironment(environment: Environment): Record<string, unknown> | undefined {
  const hasKeys =
    nonEmpty(environment.AWS_ACCESS_KEY_ID) !== undefined &&
    nonEmpty(environment.AWS_SECRET_ACCESS_KEY) !== undefined &&
    (nonEmpty(environment.AWS_REGION) ?? nonEmpty(environment.AWS_DEFAULT_REGION)) !== undefined;
  if (!hasKeys && nonEmpty(environment.AWS_BEARER_TOKEN_BEDROCK) === undefined) return undefined;
  const baseUrl = nonEmpty(environment.BEDROCK_BASE_URL);
  return { name: "bedrock", type: "bedrock", ...(baseUrl === undefined ? {} : { baseUrl }) };
}

function bedrockSettingsOrThrow(
  provider: ConfigFile["providers"][number],
  index: number,
  source: SwitchyardConfig["source"],
  environment: Environment,
): BedrockSettings {
  const resolved = resolveBedrockSettings(provider.bedrock, provider.apiKey, environment);
  if (typeof resolved !== "string") return resolved;
  throw new ConfigError(source === "file" ? "config file" : "environment", [
    { path: `providers[${index}].bedrock`, message: resolved, line: undefined },
  ]);
}

function buildConfig(
  file: ConfigFile,
  source: SwitchyardConfig["source"],
  environment: Environment,
  overrides: ConfigOverrides,
  baseDirectory: string,
): SwitchyardConfig {
  const dataDir = overrides.dataDir ?? defaultDataDir;
  const environmentPort = nonEmpty(environment.PORT);
  const storageUrl =
    file.storage === undefined
      ? (nonEmpty(environment.SWITCHYARD_STORAGE_URL) ?? `sqlite:${path.join(dataDir, "switchyard.db")}`)
      : resolveSqlitePath(file.storage.url, baseDirectory);
  return {
    source,
    server: {
      host: overrides.host ?? file.server.host,
      port: overrides.port ?? (environmentPort === undefined ? file.server.port : parsePort(environmentPort)),
      bodyLimitBytes: file.server.bodyLimitBytes,
    },
    storage: { url: storageUrl, schema: file.storage?.schema },
    providers: file.providers.map((provider, index) => {
      const bedrock =
        provider.type === "bedrock"
          ? bedrockSettingsOrThrow(provider, index, source, environment)
          : undefined;
      return {
        name: provider.name,
        type: provider.type,
        baseUrl: provider.baseUrl ?? defaultBaseUrl(provider, bedrock),
        apiKey: provider.apiKey,
        headers: provider.headers,
        timeouts: provider.timeouts,
        ...(provider.anthropicVersion === undefined ? {} : { anthropicVersion: provider.anthropicVersion }),
        ...(provider.vertex === undefined ? {} : { vertex: provider.vertex }),
        ...(bedrock === undefined ? {} : { bedrock }),
        simulator:
          provider.type === "simulator"
            ? (provider.simulator ?? simulatorSettingsSchema.parse({}))
            : undefined,
        ...resolveOpenAiVariant(provider, environment),
      };
    }),
    models: file.models.map((group) => ({
      ...group,
      targets: group.targets.map((target) => ({ ...target, model: target.model })),
    })),
    requestLog: file.requestLog,
    keys: file.keys,
    audit: {
      checkpointEvery: file.audit.checkpointEvery,
      checkpointIntervalMs: file.audit.checkpointIntervalMs,
      signingKeyFile:
        file.audit.signingKeyFile === undefined
          ? path.join(dataDir, "audit-signing-key.pem")
          : path.resolve(baseDirectory, file.audit.signingKeyFile),
      signingKey: nonEmpty(environment.SWITCHYARD_AUDIT_SIGNING_KEY),
    },
    safety: file.safety,
    routing: file.routing,
    backpressure: file.backpressure,
    resilience: resilienceConfig(file.resilience),
    limits: file.limits,
    cost: file.cost,
    telemetry: resolveTelemetryConfig(file.telemetry, environment),
    slos: file.slos.map((slo) => ({
      name: slo.name,
      kind: slo.kind,
      objective: slo.objective,
      windowMs: slo.window,
      scope: slo.scope,
      latency: slo.latency,
      description: slo.description,
    })),
    sloAlerting: {
      ...file.sloAlerting,
      source: file.sloAlerting.source,
      webhooks: file.sloAlerting.webhooks.map((webhook) => ({ ...webhook, routingKey: webhook.routingKey })),
    },
    logLevel: parseLogLevel(nonEmpty(environment.SWITCHYARD_LOG_LEVEL) ?? "info"),
    masterKey: nonEmpty(environment.SWITCHYARD_MASTER_KEY),
  };
}

/** A relative sqlite path in a config file is relative to that file, as users expect of paths in configs. */
function resolveSqlitePath(url: string, baseDirectory: string): string {
  if (!url.startsWith("sqlite:")) return url;
  const filePath = url.slice("sqlite:".length);
  if (filePath === ":memory:" || path.isAbsolute(filePath)) return url;
  return `sqlite:${path.resolve(baseDirectory, filePath)}`;
}

function interpolateEnvironment(
  value: unknown,
  valuePath: PropertyKey[],
  environment: Environment,
  report: (issuePath: PropertyKey[], message: string) => void,
): unknown {
  if (typeof value === "string") {
    return value.replace(envReference, (_match, name: string) => {
      const resolved = environment[name];
      if (resolved === undefined) {
        report(valuePath, `environment variable ${name} is not set`);
        return "";
      }
      return resolved;
    });
  }
  if (Array.isArray(value)) {
    return value.map((item, index) =>
      interpolateEnvironment(item, [...valuePath, index], environment, report),
    );
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        interpolateEnvironment(item, [...valuePath, key], environment, report),
      ]),
    );
  }
  return value;
}

function toIssues(error: z.ZodError, lineOf: (issuePath: readonly PropertyKey[]) => number | undefined) {
  return error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
    line: lineOf(issue.path),
  }));
}

function formatPath(issuePath: readonly PropertyKey[]): string {
  return issuePath
    .map((segment, index) =>
      typeof segment === "number" ? `[${segment}]` : `${index === 0 ? "" : "."}${String(segment)}`,
    )
    .join("");
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigError("environment", [
      { path: "PORT", message: `not a port number: ${value}`, line: undefined },
    ]);
  }
  return port;
}

const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

function parseLogLevel(value: string): string {
  if (logLevels.includes(value)) return value;
  throw new ConfigError("environment", [
    {
      path: "SWITCHYARD_LOG_LEVEL",
      message: `expected one of ${logLevels.join(", ")}, got ${value}`,
      line: undefined,
    },
  ]);
}

/** The process environment; the CLI hands it to the loaders so nothing else reads `process.env`. */
export function processEnvironment(): Environment {
  return process.env;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
