import { z } from "zod";

const positiveInt = z.number().int().positive();
const name = z.string().min(1);

/** Fields a model target may carry for routing; spread into the target schema in `config-schema.ts`. */
export const targetRoutingFields = {
  /** Share of traffic under the `weighted` strategy (relative to the group's other targets); default 1. */
  weight: z.number().positive().optional(),
  /** In-flight requests this target may serve at once; more wait in the admission queue. */
  maxConcurrency: positiveInt.optional(),
  pricing: z
    .object({ inputPerMTok: z.number().min(0), outputPerMTok: z.number().min(0) })
    .strict()
    .optional(),
  capabilities: z
    .object({
      contextWindow: positiveInt.optional(),
      tools: z.boolean().optional(),
      vision: z.boolean().optional(),
    })
    .strict()
    .optional(),
};

/** Fields a model group may carry for routing; spread into the group schema in `config-schema.ts`. */
export const groupRoutingFields = {
  /** Default `priority` (config order). */
  strategy: z.enum(["priority", "weighted", "least-latency", "least-busy", "cost"]).optional(),
  /** A group tried when no target of this one has a window large enough for the request. */
  contextFallback: name.optional(),
};

const ruleSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, "letters, digits, '.', '_' or '-'"),
    when: z
      .object({
        models: z.array(name).default([]),
        keys: z.array(name).default([]),
        teams: z.array(name).default([]),
        projects: z.array(name).default([]),
        metadata: z.record(z.string(), z.array(z.string())).default({}),
        headers: z.record(z.string(), z.array(z.string())).default({}),
        features: z
          .object({
            tools: z.boolean().optional(),
            images: z.boolean().optional(),
            jsonMode: z.boolean().optional(),
          })
          .strict()
          .default({}),
      })
      .strict(),
    use: z
      .object({ group: name.optional(), targets: z.array(name).min(1).optional() })
      .strict()
      .refine((use) => use.group !== undefined || use.targets !== undefined, {
        message: "give a group, targets, or both",
      }),
  })
  .strict();

export const routingSchema = z
  .object({
    rules: z.array(ruleSchema).default([]),
    /** Weight of the newest sample in the latency EWMA (`least-latency`). */
    latencySmoothing: z.number().gt(0).max(1).default(0.3),
    /** A latency sample older than this counts as unknown, so the target is tried again. */
    latencyStaleAfterMs: positiveInt.default(30_000),
  })
  .strict()
  .default({ rules: [], latencySmoothing: 0.3, latencyStaleAfterMs: 30_000 });

export const backpressureSchema = z
  .object({
    /** Requests served at once across all targets; unset means no global limit. */
    maxConcurrent: positiveInt.optional(),
    /** Requests waiting for a slot at most; beyond it new ones are shed with 503. */
    maxQueue: z.number().int().min(0).default(100),
    /** How long a request waits for a slot before it is shed with 503. */
    queueTimeoutMs: positiveInt.default(10_000),
    /** Shed new requests while the event loop's recent delay (p99) is above this; unset means never. */
    maxEventLoopLagMs: positiveInt.optional(),
    /** `Retry-After` sent with a shed request. */
    retryAfterSeconds: positiveInt.default(1),
  })
  .strict()
  .optional();

interface RoutingCheckInput {
  readonly models: readonly { readonly name: string; readonly contextFallback?: string | undefined }[];
  readonly routing: { readonly rules: readonly { readonly use: { readonly group?: string | undefined } }[] };
}

/** Cross-field checks: every group a rule or a context fallback names exists. */
export function checkRoutingReferences(
  config: RoutingCheckInput,
  addIssue: (path: (string | number)[], message: string) => void,
): void {
  const groups = new Set(config.models.map((group) => group.name));
  const known = `known: ${[...groups].join(", ")}`;
  config.models.forEach((group, index) => {
    if (group.contextFallback !== undefined && !groups.has(group.contextFallback)) {
      addIssue(
        ["models", index, "contextFallback"],
        `no model group named "${group.contextFallback}" (${known})`,
      );
    }
  });
  config.routing.rules.forEach((rule, index) => {
    if (rule.use.group !== undefined && !groups.has(rule.use.group)) {
      addIssue(
        ["routing", "rules", index, "use", "group"],
        `no model group named "${rule.use.group}" (${known})`,
      );
    }
  });
}
