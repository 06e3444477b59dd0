/**
 * Tokens one request used, in one shape for every provider. `inputTokens` counts every prompt token,
 * including those read from or written to the provider's prompt cache; `outputTokens` counts every generated
 * token, including reasoning tokens. A field the provider did not report is null, never zero.
 */
export interface TokenUsage {
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  /** Prompt tokens read from the provider's cache (billed at the cached-read price). */
  readonly cachedTokens: number | null;
  /** Prompt tokens written to the provider's cache (billed at the cache-write price). */
  readonly cacheWriteTokens: number | null;
  /** Output tokens spent on hidden reasoning (part of `outputTokens`). */
  readonly reasoningTokens: number | null;
  /** True when the gateway counted the tokens itself because the provider did not report them. */
  readonly estimated: boolean;
}

export const unknownUsage: TokenUsage = {
  inputTokens: null,
  outputTokens: null,
  cachedTokens: null,
  cacheWriteTokens: null,
  reasoningTokens: null,
  estimated: false,
};

/** Whether an upstream reported counts (an estimate made on the way does not count as reported). */
export function hasReportedUsage(usage: TokenUsage): boolean {
  return !usage.estimated && (usage.inputTokens !== null || usage.outputTokens !== null);
}

type WireRecord = Record<string, unknown>;

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : null;
}

function record(value: unknown): WireRecord | undefined {
  return value !== null && typeof value === "object" ? (value as WireRecord) : undefined;
}

/** OpenAI `usage` (chat or embeddings): `prompt_tokens` already includes `cached_tokens`. */
export function readOpenAiUsage(usage: unknown): TokenUsage {
  const wire = record(usage);
  if (wire === undefined) return unknownUsage;
  const promptDetails = record(wire.prompt_tokens_details);
  const completionDetails = record(wire.completion_tokens_details);
  return {
    inputTokens: numberOrNull(wire.prompt_tokens),
    outputTokens: numberOrNull(wire.completion_tokens) ?? (wire.prompt_tokens === undefined ? null : 0),
    cachedTokens: numberOrNull(promptDetails?.cached_tokens),
    cacheWriteTokens: null,
    reasoningTokens: numberOrNull(completionDetails?.reasoning_tokens),
    estimated: false,
  };
}

/**
 * OpenAI Responses `usage`: `input_tokens` already includes `input_tokens_details.cached_tokens`, and
 * `output_tokens` includes `output_tokens_details.reasoning_tokens`.
 */
export function readResponsesUsage(usage: unknown): TokenUsage {
  const wire = record(usage);
  if (wire === undefined) return unknownUsage;
  const inputDetails = record(wire.input_tokens_details);
  const outputDetails = record(wire.output_tokens_details);
  return {
    inputTokens: numberOrNull(wire.input_tokens),
    outputTokens: numberOrNull(wire.output_tokens),
    cachedTokens: numberOrNull(inputDetails?.cached_tokens),
    cacheWriteTokens: null,
    reasoningTokens: numberOrNull(outputDetails?.reasoning_tokens),
    estimated: false,
  };
}

/**
 * Anthropic Messages `usage`: `input_tokens` excludes the cache reads and writes, which are reported apart, so
 * the canonical input is their sum.
 */
export function readAnthropicUsage(usage: unknown): TokenUsage {
  const wire = record(usage);
  if (wire === undefined) return unknownUsage;
  const uncached = numberOrNull(wire.input_tokens);
  const cacheRead = numberOrNull(wire.cache_read_input_tokens);
  const cacheWrite = numberOrNull(wire.cache_creation_input_tokens);
  return {
    inputTokens: uncached === null ? null : uncached + (cacheRead ?? 0) + (cacheWrite ?? 0),
    outputTokens: numberOrNull(wire.output_tokens),
    cachedTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: null,
    estimated: false,
  };
}

/**
 * Gemini `usageMetadata`: `promptTokenCount` includes `cachedContentTokenCount`; thinking tokens
 * (`thoughtsTokenCount`) are billed as output but reported apart from `candidatesTokenCount`.
 */
export function readGeminiUsage(usageMetadata: unknown): TokenUsage {
  const wire = record(usageMetadata);
  if (wire === undefined) return unknownUsage;
  const candidates = numberOrNull(wire.candidatesTokenCount);
  const thoughts = numberOrNull(wire.thoughtsTokenCount);
  return {
    inputTokens: numberOrNull(wire.promptTokenCount),
    outputTokens: candidates === null && thoughts === null ? null : (candidates ?? 0) + (thoughts ?? 0),
    cachedTokens: numberOrNull(wire.cachedContentTokenCount),
    cacheWriteTokens: null,
    reasoningTokens: thoughts,
    estimated: false,
  };
}

/** Bedrock Converse `usage`: like Anthropic, `inputTokens` excludes the cache reads and writes. */
export function readBedrockUsage(usage: unknown): TokenUsage {
  const wire = record(usage);
  if (wire === undefined) return unknownUsage;
  const uncached = numberOrNull(wire.inputTokens);
  const cacheRead = numberOrNull(wire.cacheReadInputTokens);
  const cacheWrite = numberOrNull(wire.cacheWriteInputTokens);
  return {
    inputTokens: uncached === null ? null : uncached + (cacheRead ?? 0) + (cacheWrite ?? 0),
    outputTokens: numberOrNull(wire.outputTokens),
    cachedTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: null,
    estimated: false,
  };
}
