import { z } from "zod";

const usdPerMillion = z.number().min(0);

const modelPriceSchema = z
  .object({
    input: usdPerMillion,
    output: usdPerMillion,
    cachedRead: usdPerMillion.optional(),
    cacheWrite: usdPerMillion.optional(),
    reasoning: usdPerMillion.optional(),
    perRequest: z.number().min(0).optional(),
    perImage: z.number().min(0).optional(),
  })
  .strict();

const timezone = z.string().refine(
  (name) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: name });
      return true;
    } catch {
      return false;
    }
  },
  { message: "an IANA time zone such as UTC or Europe/Berlin" },
);

const budgetSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, "letters, digits, '.', '_' or '-'"),
    scope: z.enum(["key", "project", "team"]),
    /** Key ids or names, project or team names; empty: every key (project, team) gets a budget of its own. */
    match: z.array(z.string().min(1)).default([]),
    period: z.enum(["day", "week", "month"]),
    limitUsd: z.number().positive(),
    timezone: timezone.optional(),
    hard: z.boolean().default(true),
    thresholds: z.array(z.number().positive().max(10)).default([0.5, 0.8, 1]),
    downgrade: z
      .object({ model: z.string().min(1), atFraction: z.number().positive().max(1).default(0.9) })
      .strict()
      .optional(),
  })
  .strict();

export const costConfigSchema = z
  .object({
    /** Per-model price overrides in USD per million tokens, by `provider/model` or by model. */
    prices: z.record(z.string().min(1), modelPriceSchema).default({}),
    /** Output tokens assumed for a budget reservation when the request sets no max_tokens. */
    defaultMaxOutputTokens: z.number().int().positive().default(4096),
    /** Count tokens with a tokenizer when the provider reports no usage (rows are flagged as estimated). */
    estimateMissingUsage: z.boolean().default(true),
    /** Whether a budgeted caller may use a model with no price (its spend cannot be counted). */
    unpricedModels: z.enum(["allow", "block"]).default("block"),
    timezone: timezone.default("UTC"),
    /** Shared counters for every node; without it each node counts in memory. */
    redis: z
      .object({
        url: z.string().regex(/^rediss?:\/\//, "a redis:// URL"),
        keyPrefix: z.string().default("switchyard:"),
      })
      .strict()
      .optional(),
    /** Soft thresholds are posted here as JSON, once per budget, scope, period and threshold. */
    webhook: z
      .object({ url: z.url(), headers: z.record(z.string(), z.string()).default({}) })
      .strict()
      .optional(),
    budgets: z.array(budgetSchema).default([]),
  })
  .strict()
  .superRefine((cost, context) => {
    const names = new Set<string>();
    cost.budgets.forEach((budget, index) => {
      if (names.has(budget.name)) {
        context.addIssue({ code: "custom", path: ["budgets", index, "name"], message: "duplicate name" });
      }
      names.add(budget.name);
    });
  })
  .default({
    prices: {},
    defaultMaxOutputTokens: 4096,
    estimateMissingUsage: true,
    unpricedModels: "block",
    timezone: "UTC",
    budgets: [],
  });

/** A downgrade must name a configured model group (or be caught by a `*` group). */
export function checkBudgetDowngrades(
  budgets: readonly { readonly downgrade?: { readonly model: string } | undefined }[],
  modelNames: ReadonlySet<string>,
  context: z.RefinementCtx,
): void {
  if (modelNames.has("*")) return;
  budgets.forEach((budget, index) => {
    const model = budget.downgrade?.model;
    if (model !== undefined && !modelNames.has(model)) {
      context.addIssue({
        code: "custom",
        path: ["cost", "budgets", index, "downgrade", "model"],
        message: `no model group named "${model}" (known: ${[...modelNames].join(", ")})`,
      });
    }
  });
}
