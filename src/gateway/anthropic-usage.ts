import { readAnthropicUsage as readUsage, type TokenUsage, unknownUsage } from "../core/cost/token-usage.js";

/**
 * Reads an Anthropic `usage` object over what an earlier event of the same stream reported: `message_start`
 * carries the input counts, `message_delta` the output; fields an event leaves out keep their earlier value.
 */
export function readAnthropicUsage(usage: unknown, previous: TokenUsage = unknownUsage): TokenUsage {
  if (usage === null || typeof usage !== "object") return previous;
  const read = readUsage(usage);
  return {
    inputTokens: read.inputTokens ?? previous.inputTokens,
    outputTokens: read.outputTokens ?? previous.outputTokens,
    cachedTokens: read.cachedTokens ?? previous.cachedTokens,
    cacheWriteTokens: read.cacheWriteTokens ?? previous.cacheWriteTokens,
    reasoningTokens: read.reasoningTokens ?? previous.reasoningTokens,
    estimated: false,
  };
}
