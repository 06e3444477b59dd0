import type { TokenUsage } from "./gateway-context.js";

export const unknownUsage: TokenUsage = { inputTokens: null, outputTokens: null, cachedTokens: null };

/** Reads an OpenAI `usage` object (chat or embeddings); fields it lacks stay null, never zero. */
export function readOpenAiUsage(usage: unknown): TokenUsage {
  if (usage === null || typeof usage !== "object") return unknownUsage;
  const record = usage as Record<string, unknown>;
  const details = record.prompt_tokens_details as Record<string, unknown> | null | undefined;
  return {
    inputTokens: numberOrNull(record.prompt_tokens),
    outputTokens: numberOrNull(record.completion_tokens) ?? (record.prompt_tokens === undefined ? null : 0),
    cachedTokens: numberOrNull(details?.cached_tokens),
  };
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
