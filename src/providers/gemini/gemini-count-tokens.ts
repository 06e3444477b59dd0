import type { CanonicalChatRequest } from "../../core/canonical-chat.js";
import { isRecord, optionalNumber } from "../../core/json-value.js";
import { splitGeminiEnvelope, writeGeminiRequest } from "./gemini-request.js";

/**
 * Canonical request → Gemini `:countTokens` (https://ai.google.dev/api/tokens#method:-models.counttokens). The
 * whole `generateContentRequest` is sent, so the system instruction and tools are counted as they would be billed.
 */
export function writeGeminiCountTokensRequest(
  request: CanonicalChatRequest,
  warnings: string[],
): { readonly model: string; readonly body: Record<string, unknown> } {
  const { model, body } = splitGeminiEnvelope(writeGeminiRequest({ ...request, stream: false }, warnings));
  return { model, body: { generateContentRequest: { model: `models/${model}`, ...body } } };
}

/** Gemini `{totalTokens}` → Anthropic's count_tokens answer; undefined when the count is missing. */
export function readGeminiCountTokensResponse(body: unknown): Record<string, unknown> | undefined {
  const total = isRecord(body) ? optionalNumber(body.totalTokens) : undefined;
  return total === undefined ? undefined : { input_tokens: total };
}
