import type { CanonicalFinishReason, UnifiedFinishReason } from "../../core/canonical-chat.js";

/** Anthropic `stop_reason` → unified, keeping the raw value (https://docs.anthropic.com/en/api/handling-stop-reasons). */
export function readAnthropicStopReason(raw: unknown, stopSequence: unknown): CanonicalFinishReason {
  const value = typeof raw === "string" ? raw : null;
  const unified: UnifiedFinishReason =
    value === "end_turn" || value === "stop_sequence" || value === "pause_turn"
      ? "stop"
      : value === "max_tokens" || value === "model_context_window_exceeded"
        ? "length"
        : value === "tool_use"
          ? "tool-calls"
          : value === "refusal"
            ? "content-filter"
            : "other";
  return { unified, raw: value, stopSequence: typeof stopSequence === "string" ? stopSequence : null };
}

/** Unified → Anthropic `stop_reason`: the raw value when it came from Anthropic, else the closest one. */
export function writeAnthropicStopReason(reason: CanonicalFinishReason): string {
  switch (reason.unified) {
    case "stop":
      return reason.stopSequence ? "stop_sequence" : "end_turn";
    case "length":
      return "max_tokens";
    case "tool-calls":
      return "tool_use";
    case "content-filter":
      return "refusal";
    default:
      return "end_turn";
  }
}
