import { z } from "zod";

const positiveInt = z.number().int().positive();

export const limitDimensions = ["key", "project", "team", "model", "user"] as const;

const limitScopeSchema = z
  .object({
    keys: z.array(z.string().min(1)).default([]),
    teams: z.array(z.string().min(1)).default([]),
    projects: z.array(z.string().min(1)).default([]),
    models: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .default({ keys: [], teams: [], projects: [], models: [] });

const limitRuleSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, "letters, digits, '.', '_' or '-'"),
    per: z.array(z.enum(limitDimensions)).default([]),
    scope: limitScopeSchema,
    requestsPerMinute: positiveInt.optional(),
    tokensPerMinute: positiveInt.optional(),
    concurrentRequests: positiveInt.optional(),
  })
  .strict()
  .superRefine((rule, context) => {
    if (
      rule.requestsPerMinute === undefined &&
      rule.tokensPerMinute === undefined &&
      rule.concurrentRequests === undefined
    ) {
      context.addIssue({
        code: "custom",
        message: "set at least one of requestsPerMinute, tokensPerMinute, concurrentRequests",
      });
    }
    if (new Set(rule.per).size !== rule.per.length) {
      context.addIssue({ code: "custom", path: ["per"], message: "a dimension is listed twice" });
    }
  });

const limitsRedisSchema = z
  .object({
    url: z.string().regex(/^rediss?:\/\//, "a redis:// or rediss:// URL"),
    keyPrefix: z.string().default("switchyard:limits:"),
    commandTimeoutMs: positiveInt.default(1000),
    leaseTtlMs: positiveInt.default(600_000),
  })
  .strict();

/** `limits:` — rate limits (requests, tokens and concurrency) as rules. */
export const limitsConfigSchema = z
  .object({
    rules: z.array(limitRuleSchema).default([]),
    redis: limitsRedisSchema.optional(),
    defaultMaxOutputTokens: positiveInt.default(4096),
    onStoreError: z.enum(["allow", "refuse"]).default("allow"),
  })
  .strict()
  .superRefine((limits, context) => {
    const names = new Set<string>();
    limits.rules.forEach((rule, index) => {
      if (names.has(rule.name)) {
        context.addIssue({ code: "custom", path: ["rules", index, "name"], message: "duplicate name" });
      }
      names.add(rule.name);
    });
  })
  .default({ rules: [], defaultMaxOutputTokens: 4096, onStoreError: "allow" });
