import type { CanonicalFinishReason, UnifiedFinishReason } from "../../core/canonical-chat.js";

/** OpenAI `finish_reason` → unified, keeping the raw value. */
export function readOpenAiFinishReason(raw: unknown): CanonicalFinishReason {
  const value = typeof raw === "string" ? raw : null;
  const unified: UnifiedFinishReason =
    value === "stop"
      ? "stop"
      : value === "length"
        ? "length"
        : value === "tool_calls" || value === "function_call"
          ? "tool-calls"
          : value === "content_filter"
            ? "content-filter"
            : "other";
  return { unified, raw: value };
}

export function writeOpenAiFinishReason(reason: CanonicalFinishReason): string {
  switch (reason.unified) {
    case "length":
      return "length";
    case "tool-calls":
      return "tool_calls";
    case "content-filter":
      return "content_filter";
    default:
      return "stop";
  }
}
