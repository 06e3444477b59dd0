import { z } from "zod";

const durationUnits: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `90s`, `30m`, `6h`, `28d`, `4w` in milliseconds. */
const durationSchema = z
  .string()
  .regex(/^[1-9][0-9]*[smhdw]$/, "a duration such as 30m, 6h, 28d or 4w")
  .transform((text) => Number(text.slice(0, -1)) * (durationUnits[text.slice(-1)] ?? 0));

const nameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/i, "letters, digits, '.', '_' or '-', starting with a letter or digit");

const sloScopeSchema = z
  .object({
    models: z.array(z.string().min(1)).default([]),
    routes: z.array(z.enum(["chat.completions", "embeddings"])).default([]),
    teams: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .default({ models: [], routes: [], teams: [] });

const sloSchema = z
  .object({
    name: nameSchema,
    kind: z.enum(["availability", "latency"]),
    objective: z
      .number()
      .gt(0, "a share in (0, 1), e.g. 0.999 for 99.9%")
      .lt(1, "a share in (0, 1), e.g. 0.999 for 99.9%"),
    window: durationSchema.default(28 * 86_400_000),
    scope: sloScopeSchema,
    latency: z
      .object({
        measure: z.enum(["latency", "ttft"]).default("latency"),
        thresholdMs: z.number().positive(),
      })
      .strict()
      .optional(),
    description: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((slo, context) => {
    if (slo.kind === "latency" && slo.latency === undefined) {
      context.addIssue({ code: "custom", path: ["latency"], message: "required for kind latency" });
    }
    if (slo.kind !== "latency" && slo.latency !== undefined) {
      context.addIssue({ code: "custom", path: ["latency"], message: "only allowed for kind latency" });
    }
    // The slowest alert window (3 days) must fit in the compliance window.
    if (slo.window < 3 * 86_400_000) {
      context.addIssue({
        code: "custom",
        path: ["window"],
        message: "at least 3d (the ticket alert's window)",
      });
    }
  });

/** `slos:` — the service level objectives Switchyard evaluates; names are unique. */
export const slosSchema = z
  .array(sloSchema)
  .default([])
  .superRefine((slos, context) => {
    const names = new Set<string>();
    slos.forEach((slo, index) => {
      if (names.has(slo.name))
        context.addIssue({ code: "custom", path: [index, "name"], message: "duplicate name" });
      names.add(slo.name);
    });
  });

const webhookSchema = z
  .object({
    name: nameSchema,
    format: z.enum(["generic", "slack", "pagerduty"]).default("generic"),
    url: z.url(),
    routingKey: z.string().min(1).optional(),
    headers: z.record(z.string(), z.string()).default({}),
    severities: z
      .array(z.enum(["page", "ticket"]))
      .min(1)
      .default(["page", "ticket"]),
  })
  .strict()
  .superRefine((webhook, context) => {
    if (webhook.format === "pagerduty" && webhook.routingKey === undefined) {
      context.addIssue({ code: "custom", path: ["routingKey"], message: "required for format pagerduty" });
    }
    if (webhook.format !== "pagerduty" && webhook.routingKey !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["routingKey"],
        message: "only allowed for format pagerduty",
      });
    }
  });

const sloAlertingDefaults = {
  evaluateIntervalMs: 30_000,
  persistIntervalMs: 10_000,
  webhooks: [],
  maxAttempts: 5,
  retryBaseMs: 1000,
  timeoutMs: 10_000,
};

/** `sloAlerting:` — how often SLOs are evaluated and persisted, and where burn-rate alerts go. */
export const sloAlertingSchema = z
  .object({
    evaluateIntervalMs: z.number().int().positive().default(sloAlertingDefaults.evaluateIntervalMs),
    persistIntervalMs: z.number().int().positive().default(sloAlertingDefaults.persistIntervalMs),
    webhooks: z.array(webhookSchema).default([]),
    maxAttempts: z.number().int().min(1).max(20).default(sloAlertingDefaults.maxAttempts),
    retryBaseMs: z.number().int().positive().default(sloAlertingDefaults.retryBaseMs),
    timeoutMs: z.number().int().positive().default(sloAlertingDefaults.timeoutMs),
    source: z.string().min(1).optional(),
  })
  .strict()
  .default(sloAlertingDefaults);
