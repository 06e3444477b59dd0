import { z } from "zod";

/** `telemetry.traces.content`: the opt-in to prompt and completion text on spans, optionally scoped. */
const contentSchema = z
  .object({
    enabled: z.boolean().default(false),
    maxChars: z.number().int().positive().default(2000),
    models: z.array(z.string().min(1)).min(1).optional(),
    teams: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();

/** `telemetry.traces`: every key optional, so the standard `OTEL_*` variables can fill what is left out. */
const tracesSchema = z
  .object({
    enabled: z.boolean().optional(),
    endpoint: z.url().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    sampleRatio: z.number().min(0).max(1).optional(),
    parentBased: z.boolean().optional(),
    serviceName: z.string().min(1).optional(),
    scheduledDelayMs: z.number().int().positive().default(2000),
    maxQueueSize: z.number().int().positive().default(8192),
    exportTimeoutMs: z.number().int().positive().default(10_000),
    content: contentSchema.default(contentSchema.parse({})),
  })
  .strict();

export const telemetryConfigSchema = z
  .object({ traces: tracesSchema.default(tracesSchema.parse({})) })
  .strict()
  .default({ traces: tracesSchema.parse({}) });

export type TelemetryConfigFile = z.infer<typeof telemetryConfigSchema>;
