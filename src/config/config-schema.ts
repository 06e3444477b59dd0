import { z } from "zod";
import { anthropicVersionSchema } from "./anthropic-config-schema.js";
import { azureOpenAiSettingsSchema, checkAzureOpenAiProvider } from "./azure-openai-config-schema.js";
import { bedrockSettingsSchema } from "./bedrock-config-schema.js";
import { checkBudgetDowngrades, costConfigSchema } from "./cost-config-schema.js";
import { geminiVertexSchema } from "./gemini-config-schema.js";
import { limitsConfigSchema } from "./limits-config-schema.js";
import {
  checkOpenAiCompatiblePreset,
  openAiCompatiblePresetSchema,
} from "./openai-compatible-preset-schema.js";
import { resilienceSchema } from "./resilience-config-schema.js";
import {
  backpressureSchema,
  checkRoutingReferences,
  groupRoutingFields,
  routingSchema,
  targetRoutingFields,
} from "./routing-config-schema.js";
import { sloAlertingSchema, slosSchema } from "./slo-config-schema.js";
import { telemetryConfigSchema } from "./telemetry-config-schema.js";

const positiveInt = z.number().int().positive();

const faultSchema = z
  .object({
    kind: z.enum(["429", "500", "reset", "stall", "cut-mid-stream", "malformed-sse"]),
    rate: z.number().min(0).max(1),
  })
  .strict();

const simulatorSchema = z
  .object({
    latencyMs: z.number().int().min(0).default(0),
    tokensPerSecond: z.number().min(0).default(0),
    models: z.array(z.string().min(1)).default(["sim-small", "sim-large", "sim-embed"]),
    faults: z.array(faultSchema).default([]),
    embeddingDimensions: positiveInt.default(256),
  })
  .strict();

const timeoutsSchema = z
  .object({
    connectMs: positiveInt.default(10_000),
    headersMs: positiveInt.default(120_000),
    idleMs: positiveInt.default(120_000),
  })
  .strict();

export const providerSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/i, "letters, digits, '.', '_' or '-', starting with a letter or digit"),
    type: z.enum([
      "openai",
      "openai-compatible",
      "anthropic",
      "gemini",
      "bedrock",
      "simulator",
      "azure-openai",
    ]),
    baseUrl: z.url().optional(),
    apiKey: z.string().min(1).optional(),
    headers: z.record(z.string(), z.string()).default({}),
    timeouts: timeoutsSchema.default(timeoutsSchema.parse({})),
    simulator: simulatorSchema.optional(),
    anthropicVersion: anthropicVersionSchema.optional(),
    vertex: geminiVertexSchema.optional(),
    azure: azureOpenAiSettingsSchema.optional(),
    preset: openAiCompatiblePresetSchema.optional(),
    bedrock: bedrockSettingsSchema.optional(),
  })
  .strict()
  .superRefine((provider, context) => {
    checkAzureOpenAiProvider(provider, context);
    checkOpenAiCompatiblePreset(provider, context);
    if (provider.type !== "anthropic" && provider.anthropicVersion !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["anthropicVersion"],
        message: "only allowed for type anthropic",
      });
    }
    if (provider.type !== "gemini" && provider.vertex !== undefined) {
      context.addIssue({ code: "custom", path: ["vertex"], message: "only allowed for type gemini" });
    }
    if (provider.type !== "bedrock" && provider.bedrock !== undefined) {
      context.addIssue({ code: "custom", path: ["bedrock"], message: "only allowed for type bedrock" });
    }
    if (provider.type !== "simulator" && provider.simulator !== undefined) {
      context.addIssue({ code: "custom", path: ["simulator"], message: "only allowed for type simulator" });
    }
  });

const targetSchema = z
  .object({
    provider: z.string().min(1),
    model: z.string().min(1).optional(),
    params: z.record(z.string(), z.unknown()).default({}),
    ...targetRoutingFields,
  })
  .strict();

const modelGroupSchema = z
  .object({
    name: z.string().min(1),
    targets: z.array(targetSchema).min(1),
    ...groupRoutingFields,
  })
  .strict();

const scopeSchema = z
  .object({
    models: z.array(z.string().min(1)).default([]),
    keys: z.array(z.string().min(1)).default([]),
    teams: z.array(z.string().min(1)).default([]),
    projects: z.array(z.string().min(1)).default([]),
    riskTiers: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .default({ models: [], keys: [], teams: [], projects: [], riskTiers: [] });

const policySchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, "letters, digits, '.', '_' or '-'"),
    stages: z.array(z.enum(["input", "indirect", "output", "tool-call"])).min(1),
    scope: scopeSchema,
    detectors: z.array(z.enum(["pii", "secrets", "injection", "moderation", "canary"])).min(1),
    types: z.array(z.string().regex(/^[A-Z0-9_]+$/, "an upper snake case detection type")).default([]),
    minScore: z.number().min(0).max(1).default(0.5),
    action: z.enum(["block", "redact", "mask", "flag", "log"]),
    dryRun: z.boolean().default(false),
  })
  .strict()
  .superRefine((policy, context) => {
    // A mask is undone in the answer, so it only makes sense on what goes to the model.
    if (
      policy.action === "mask" &&
      policy.stages.some((stage) => stage === "output" || stage === "tool-call")
    ) {
      context.addIssue({
        code: "custom",
        path: ["action"],
        message: "mask applies to input and indirect stages only",
      });
    }
    // Rewriting inside tool-call arguments could break their JSON: calls are blocked or recorded, never edited.
    if (policy.action === "redact" && policy.stages.includes("tool-call")) {
      context.addIssue({
        code: "custom",
        path: ["action"],
        message: "redact does not apply to the tool-call stage",
      });
    }
  });

const toolRuleSchema = z
  .object({
    scope: scopeSchema,
    allow: z.array(z.string().min(1)),
    validateArguments: z.boolean().default(false),
  })
  .strict();

const safetySchema = z
  .object({
    policies: z.array(policySchema).default([]),
    tools: z.array(toolRuleSchema).default([]),
    moderation: z
      .object({ provider: z.string().min(1), model: z.string().min(1).optional() })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((safety, context) => {
    const names = new Set<string>();
    safety.policies.forEach((policy, index) => {
      if (names.has(policy.name)) {
        context.addIssue({ code: "custom", path: ["policies", index, "name"], message: "duplicate name" });
      }
      names.add(policy.name);
    });
  })
  .default({ policies: [], tools: [] });

/** The YAML file's shape. Unknown keys fail; defaults fill what is left out. */
export const configFileSchema = z
  .object({
    server: z
      .object({
        host: z.string().min(1).default("0.0.0.0"),
        port: z.number().int().min(0).max(65_535).default(4000),
        bodyLimitBytes: positiveInt.default(4 * 1024 * 1024),
      })
      .strict()
      .default({ host: "0.0.0.0", port: 4000, bodyLimitBytes: 4 * 1024 * 1024 }),
    storage: z
      .object({
        url: z.string().regex(/^(sqlite:|postgres(ql)?:\/\/)/, "a sqlite:<path> or postgres:// URL"),
        schema: z
          .string()
          .regex(/^[a-z_][a-z0-9_]*$/, "a lower-case SQL identifier")
          .optional(),
      })
      .strict()
      .refine((storage) => storage.schema === undefined || !storage.url.startsWith("sqlite:"), {
        message: "schema applies to Postgres only",
        path: ["schema"],
      })
      .optional(),
    providers: z.array(providerSchema).min(1),
    models: z.array(modelGroupSchema).min(1),
    requestLog: z
      .object({
        flushIntervalMs: positiveInt.default(1000),
        maxBatchSize: positiveInt.default(500),
        maxQueueSize: positiveInt.default(100_000),
      })
      .strict()
      .default({ flushIntervalMs: 1000, maxBatchSize: 500, maxQueueSize: 100_000 }),
    keys: z
      .object({ refreshIntervalMs: positiveInt.default(1000) })
      .strict()
      .default({ refreshIntervalMs: 1000 }),
    levers: z
      .object({ refreshIntervalMs: positiveInt.default(1000) })
      .strict()
      .default({ refreshIntervalMs: 1000 }),
    audit: z
      .object({
        checkpointEvery: positiveInt.default(100),
        checkpointIntervalMs: positiveInt.default(60_000),
        signingKeyFile: z.string().min(1).optional(),
      })
      .strict()
      .default({ checkpointEvery: 100, checkpointIntervalMs: 60_000 }),
    safety: safetySchema,
    routing: routingSchema,
    backpressure: backpressureSchema,
    resilience: resilienceSchema,
    limits: limitsConfigSchema,
    cost: costConfigSchema,
    telemetry: telemetryConfigSchema,
    slos: slosSchema,
    sloAlerting: sloAlertingSchema,
  })
  .strict()
  .superRefine((config, context) => {
    const providerNames = new Set<string>();
    config.providers.forEach((provider, index) => {
      if (providerNames.has(provider.name)) {
        context.addIssue({ code: "custom", path: ["providers", index, "name"], message: "duplicate name" });
      }
      providerNames.add(provider.name);
    });
    const moderation = config.safety.moderation;
    if (moderation !== undefined) {
      const provider = config.providers.find((candidate) => candidate.name === moderation.provider);
      if (provider === undefined || (provider.type !== "openai" && provider.type !== "openai-compatible")) {
        context.addIssue({
          code: "custom",
          path: ["safety", "moderation", "provider"],
          message: `must name an openai or openai-compatible provider (known: ${[...providerNames].join(", ")})`,
        });
      }
    }
    checkRoutingReferences(config, (path, message) => context.addIssue({ code: "custom", path, message }));
    const modelNames = new Set<string>();
    config.models.forEach((group, groupIndex) => {
      if (modelNames.has(group.name)) {
        context.addIssue({ code: "custom", path: ["models", groupIndex, "name"], message: "duplicate name" });
      }
      modelNames.add(group.name);
      group.targets.forEach((target, targetIndex) => {
        if (!providerNames.has(target.provider)) {
          context.addIssue({
            code: "custom",
            path: ["models", groupIndex, "targets", targetIndex, "provider"],
            message: `no provider named "${target.provider}" (known: ${[...providerNames].join(", ")})`,
          });
        }
      });
    });
    checkBudgetDowngrades(config.cost.budgets, modelNames, context);
    // Content on spans relies on the safety policies for redaction: without one that rewrites input, no content.
    if (
      config.telemetry.traces.content.enabled &&
      !config.safety.policies.some(
        (policy) =>
          policy.stages.includes("input") &&
          (policy.action === "redact" || policy.action === "mask") &&
          !policy.dryRun,
      )
    ) {
      context.addIssue({
        code: "custom",
        path: ["telemetry", "traces", "content", "enabled"],
        message: "needs a safety policy on the input stage with action redact or mask (not a dry run)",
      });
    }
  });

export type ConfigFile = z.infer<typeof configFileSchema>;
export const simulatorSettingsSchema = simulatorSchema;
export const providerTimeoutsSchema = timeoutsSchema;
