import { type CanonicalUsage, emptyUsage } from "../../core/canonical-chat.js";
import { isRecord, numberOrNull } from "../../core/json-value.js";

/**
 * Gemini `usageMetadata` → canonical (https://ai.google.dev/api/generate-content#UsageMetadata).
 * - `promptTokenCount` already includes `cachedContentTokenCount`, so it is `inputTokens` as is.
 * - `candidatesTokenCount` excludes thinking; Gemini bills `thoughtsTokenCount` as output, so
 *   `outputTokens` = candidates + thoughts (OpenAI's `completion_tokens` convention, where reasoning is inside
 *   the completion count) and `reasoningTokens` = thoughts.
 * - Gemini leaves zero counts out, so a present `usageMetadata` reads missing counts as 0; without one every
 *   count is null (the gateway then estimates and says so).
 */
export function readGeminiUsage(usage: unknown): CanonicalUsage {
  if (!isRecord(usage)) return emptyUsage;
  const prompt = numberOrNull(usage.promptTokenCount);
  const candidates = numberOrNull(usage.candidatesTokenCount) ?? 0;
  const thoughts = numberOrNull(usage.thoughtsTokenCount) ?? 0;
  if (prompt === null) return emptyUsage;
  return {
    inputTokens: prompt,
    outputTokens: candidates + thoughts,
    cacheReadTokens: numberOrNull(usage.cachedContentTokenCount) ?? 0,
    cacheWriteTokens: null,
    reasoningTokens: thoughts,
  };
}
