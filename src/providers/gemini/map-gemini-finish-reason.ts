import type { CanonicalFinishReason, UnifiedFinishReason } from "../../core/canonical-chat.js";

const unifiedByRaw: Readonly<Record<string, UnifiedFinishReason>> = {
  STOP: "stop",
  MAX_TOKENS: "length",
  SAFETY: "content-filter",
  RECITATION: "content-filter",
  BLOCKLIST: "content-filter",
  PROHIBITED_CONTENT: "content-filter",
  SPII: "content-filter",
  IMAGE_SAFETY: "content-filter",
  MALFORMED_FUNCTION_CALL: "error",
  UNEXPECTED_TOOL_CALL: "error",
};

/**
 * Gemini `finishReason` (or a prompt's `blockReason`) → unified, keeping the raw value
 * (https://ai.google.dev/api/generate-content#FinishReason). Gemini answers STOP after function calls, so a turn
 * that carries tool calls reads as `tool-calls`. Gemini never says which stop sequence matched.
 */
export function readGeminiFinishReason(raw: unknown, hasToolCalls: boolean): CanonicalFinishReason {
  const value = typeof raw === "string" ? raw : null;
  const mapped = value === null ? "other" : (unifiedByRaw[value] ?? "other");
  const unified = mapped === "stop" && hasToolCalls ? "tool-calls" : mapped;
  return { unified, raw: value, stopSequence: null };
}
