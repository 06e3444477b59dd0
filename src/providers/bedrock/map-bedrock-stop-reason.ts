import type { CanonicalFinishReason, UnifiedFinishReason } from "../../core/canonical-chat.js";
import { isRecord, optionalString } from "../../core/json-value.js";

const unifiedByStopReason: Readonly<Record<string, UnifiedFinishReason>> = {
  end_turn: "stop",
  stop_sequence: "stop",
  tool_use: "tool-calls",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  guardrail_intervened: "content-filter",
  content_filtered: "content-filter",
};

/**
 * Converse `stopReason` → unified, keeping the raw value
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_ResponseSyntax).
 * Claude models name the stop sequence that matched in `additionalModelResponseFields.stop_sequence`.
 */
export function readBedrockStopReason(raw: unknown, additionalFields: unknown): CanonicalFinishReason {
  const value = typeof raw === "string" ? raw : null;
  const stopSequence = isRecord(additionalFields)
    ? optionalString(additionalFields.stop_sequence)
    : undefined;
  return {
    unified: value === null ? "other" : (unifiedByStopReason[value] ?? "other"),
    raw: value,
    stopSequence: stopSequence ?? null,
  };
}
