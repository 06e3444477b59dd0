import type {
  CanonicalAssistantPart,
  CanonicalChatResult,
  CanonicalUsage,
} from "../../core/canonical-chat.js";
import type { CanonicalError } from "../../core/dialect-codec.js";
import { isRecord, numberOrNull, optionalString, records } from "../../core/json-value.js";
import { readAnthropicStopReason, writeAnthropicStopReason } from "./map-anthropic-finish-reason.js";

/**
 * Anthropic usage → canonical. Anthropic's `input_tokens` excludes cache reads and writes; the canonical
 * `inputTokens` is the whole prompt, so the three are added.
 */
export function readAnthropicUsage(usage: unknown): CanonicalUsage {
  if (!isRecord(usage)) {
    return {
      inputTokens: null,
      outputTokens: null,
      cacheReadTokens: null,
      cacheWriteTokens: null,
      reasoningTokens: null,
    };
  }
  const input = numberOrNull(usage.input_tokens);
  const cacheRead = numberOrNull(usage.cache_read_input_tokens);
  const cacheWrite = numberOrNull(usage.cache_creation_input_tokens);
  return {
    inputTokens: input === null ? null : input + (cacheRead ?? 0) + (cacheWrite ?? 0),
    outputTokens: numberOrNull(usage.output_tokens),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: null,
  };
}

/** Canonical usage → Anthropic's three input counts; unknown counts become 0 because the SDK types require numbers. */
export function writeAnthropicUsage(usage: CanonicalUsage): Record<string, number> {
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage.inputTokens ?? 0) - cacheRead - cacheWrite),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    output_tokens: usage.outputTokens ?? 0,
  };
}

export function readAnthropicResult(body: Readonly<Record<string, unknown>>): CanonicalChatResult {
  const content: CanonicalAssistantPart[] = [];
  for (const block of records(body.content)) {
    if (block.type === "text") content.push({ type: "text", text: optionalString(block.text) ?? "" });
    else if (block.type === "tool_use") {
      content.push({
        type: "tool-call",
        id: optionalString(block.id) ?? "",
        name: optionalString(block.name) ?? "",
        arguments: JSON.stringify(block.input ?? {}),
      });
    } else if (block.type === "thinking") {
      content.push({
        type: "reasoning",
        text: optionalString(block.thinking) ?? "",
        signature: optionalString(block.signature),
      });
    } else if (block.type === "redacted_thinking") {
      content.push({ type: "redacted-reasoning", data: optionalString(block.data) ?? "" });
    }
  }
  return {
    id: optionalString(body.id) ?? "",
    model: optionalString(body.model) ?? "",
    content,
    finishReason: readAnthropicStopReason(body.stop_reason, body.stop_sequence),
    usage: readAnthropicUsage(body.usage),
  };
}

export function writeAnthropicResult(result: CanonicalChatResult): Record<string, unknown> {
  return {
    id: result.id.startsWith("msg_") ? result.id : `msg_${result.id}`,
    type: "message",
    role: "assistant",
    model: result.model,
    content: result.content.map(writeContentBlock),
    stop_reason: writeAnthropicStopReason(result.finishReason),
    stop_sequence: result.finishReason.stopSequence ?? null,
    usage: writeAnthropicUsage(result.usage),
    // The provider's own finish reason, which `stop_reason` cannot always express.
    switchyard: { raw_finish_reason: result.finishReason.raw },
  };
}

function writeContentBlock(part: CanonicalAssistantPart): Record<string, unknown> {
  switch (part.type) {
    case "text":
      return { type: "text", text: part.text };
    case "tool-call":
      return { type: "tool_use", id: part.id, name: part.name, input: parseObject(part.arguments) };
    case "reasoning":
      return { type: "thinking", thinking: part.text, signature: part.signature ?? "" };
    case "redacted-reasoning":
      return { type: "redacted_thinking", data: part.data };
  }
}

/** Tool arguments as an object; a model's malformed JSON is kept as text under `_raw` rather than lost. */
export function parseObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text === "" ? "{}" : text);
    return isRecord(parsed) ? parsed : { _raw: text };
  } catch {
    return { _raw: text };
  }
}

const errorTypesByStatus: Readonly<Record<number, string>> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  504: "timeout_error",
  529: "overloaded_error",
};

/** Anthropic's error `type` for an HTTP status (https://docs.anthropic.com/en/api/errors). */
export function anthropicErrorType(status: number): string {
  return errorTypesByStatus[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

export function readAnthropicError(status: number, body: unknown): CanonicalError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  return {
    status,
    errorType: optionalString(error?.type) ?? anthropicErrorType(status),
    message: optionalString(error?.message) ?? `HTTP ${status}`,
  };
}

export function writeAnthropicError(error: CanonicalError): Record<string, unknown> {
  return { type: "error", error: { type: error.errorType, message: error.message } };
}
