import { z } from "zod";
import type { ResilienceConfig } from "../core/gateway-config.js";

const positiveInt = z.number().int().positive();
const failureClass = z.enum([
  "rate-limited",
  "server-error",
  "timeout",
  "context-window",
  "content-policy",
  "client-error",
]);
const failureClasses = z.array(failureClass);

const retriesSchema = z
  .object({
    maxRetriesPerTarget: z.number().int().min(0).max(10).default(0),
    retryOn: failureClasses.default(["rate-limited", "server-error", "timeout"]),
    baseDelayMs: z.number().int().min(0).default(100),
    maxDelayMs: z.number().int().min(0).default(2_000),
    maxRetryAfterMs: z.number().int().min(0).default(5_000),
  })
  .strict();

const retryBudgetSchema = z
  .object({
    ratio: z.number().min(0).max(10).default(0.2),
    minRetriesPerSecond: z.number().min(0).default(5),
    windowMs: positiveInt.default(10_000),
  })
  .strict();

const circuitBreakerSchema = z
  .object({
    enabled: z.boolean().default(true),
    consecutiveFailures: positiveInt.default(5),
    failureRateThreshold: z.number().gt(0).max(1).default(0.5),
    windowMs: positiveInt.default(30_000),
    minimumRequests: positiveInt.default(20),
    cooldownMs: positiveInt.default(30_000),
  })
  .strict();

const timeoutsSchema = z
  .object({ firstTokenMs: positiveInt.optional(), totalMs: positiveInt.optional() })
  .strict();

const groupSchema = z
  .object({
    fallbackOn: failureClasses.optional(),
    retryOn: failureClasses.optional(),
    maxRetriesPerTarget: z.number().int().min(0).max(10).optional(),
    firstTokenMs: positiveInt.optional(),
    totalMs: positiveInt.optional(),
  })
  .strict();

const resilienceObjectSchema = z
  .object({
    retries: retriesSchema.default(retriesSchema.parse({})),
    retryBudget: retryBudgetSchema.default(retryBudgetSchema.parse({})),
    fallbackOn: failureClasses.default(["rate-limited", "server-error", "timeout"]),
    timeouts: timeoutsSchema.default({}),
    streamHoldBackMs: z.number().int().min(0).max(60_000).default(1_000),
    circuitBreaker: circuitBreakerSchema.default(circuitBreakerSchema.parse({})),
    groups: z.record(z.string().min(1), groupSchema).default({}),
  })
  .strict();

/** `resilience:` in the config file; every key has a default, so configs without it keep working. */
export const resilienceSchema = resilienceObjectSchema.default(() => resilienceObjectSchema.parse({}));

/** The parsed section as the gateway's `ResilienceConfig` (optional keys spelled out as undefined). */
export function resilienceConfig(file: z.infer<typeof resilienceSchema>): ResilienceConfig {
  return {
    ...file,
    timeouts: { firstTokenMs: file.timeouts.firstTokenMs, totalMs: file.timeouts.totalMs },
    groups: Object.fromEntries(
      Object.entries(file.groups).map(([name, group]) => [
        name,
        {
          fallbackOn: group.fallbackOn,
          retryOn: group.retryOn,
          maxRetriesPerTarget: group.maxRetriesPerTarget,
          firstTokenMs: group.firstTokenMs,
          totalMs: group.totalMs,
        },
      ]),
    ),
  };
}
