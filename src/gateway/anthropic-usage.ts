import type { TokenUsage } from "./gateway-context.js";
import { unknownUsage } from "./openai-usage.js";

function count(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/**
 * Reads an Anthropic `usage` object into the request log's counts. Anthropic's `input_tokens` leaves out cache
 * reads and writes; the log's `inputTokens` is the whole prompt (as OpenAI counts it), so they are added.
 */
export function readAnthropicUsage(usage: unknown, previous: TokenUsage = unknownUsage): TokenUsage {
  if (usage === null || typeof usage !== "object") return previous;
  const record = usage as Record<string, unknown>;
  const input = count(record.input_tokens);
  const cacheRead = count(record.cache_read_input_tokens);
  const cacheWrite = count(record.cache_creation_input_tokens);
  return {
    inputTokens: input === null ? previous.inputTokens : input + (cacheRead ?? 0) + (cacheWrite ?? 0),
    outputTokens: count(record.output_tokens) ?? previous.outputTokens,
    cachedTokens: cacheRead ?? previous.cachedTokens,
  };
}
