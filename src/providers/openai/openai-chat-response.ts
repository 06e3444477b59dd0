import type {
  CanonicalAssistantPart,
  CanonicalChatResult,
  CanonicalUsage,
} from "../../core/canonical-chat.js";
import type { CanonicalError } from "../../core/dialect-codec.js";
import { isRecord, numberOrNull, optionalString, records } from "../../core/json-value.js";
import { readOpenAiFinishReason, writeOpenAiFinishReason } from "./map-openai-finish-reason.js";

export function readOpenAiChatUsage(usage: unknown): CanonicalUsage {
  if (!isRecord(usage)) {
    return {
      inputTokens: null,
      outputTokens: null,
      cacheReadTokens: null,
      cacheWriteTokens: null,
      reasoningTokens: null,
    };
  }
  const prompt = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completion = isRecord(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  return {
    inputTokens: numberOrNull(usage.prompt_tokens),
    outputTokens: numberOrNull(usage.completion_tokens),
    cacheReadTokens: numberOrNull(prompt.cached_tokens),
    cacheWriteTokens: null,
    reasoningTokens: numberOrNull(completion.reasoning_tokens),
  };
}

/**
 * Canonical usage → OpenAI's. Cache writes have no OpenAI field: they stay inside `prompt_tokens` and are also
 * given as `prompt_tokens_details.cache_creation_tokens` (an extension; OpenAI clients ignore unknown fields).
 */
export function writeOpenAiChatUsage(usage: CanonicalUsage): Record<string, unknown> {
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  return {
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: input + output,
    prompt_tokens_details: {
      cached_tokens: usage.cacheReadTokens ?? 0,
      ...(usage.cacheWriteTokens === null ? {} : { cache_creation_tokens: usage.cacheWriteTokens }),
    },
    ...(usage.reasoningTokens === null
      ? {}
      : { completion_tokens_details: { reasoning_tokens: usage.reasoningTokens } }),
  };
}

export function readOpenAiChatResult(body: Readonly<Record<string, unknown>>): CanonicalChatResult {
  const choice = records(body.choices)[0] ?? {};
  const message = isRecord(choice.message) ? choice.message : {};
  const content: CanonicalAssistantPart[] = [];
  const reasoning = optionalString(message.reasoning_content);
  if (reasoning !== undefined && reasoning !== "")
    content.push({ type: "reasoning", text: reasoning, signature: undefined });
  const text = optionalString(message.content);
  if (text !== undefined && text !== "") content.push({ type: "text", text });
  const refusal = optionalString(message.refusal);
  if (refusal !== undefined && refusal !== "") content.push({ type: "text", text: refusal });
  for (const call of records(message.tool_calls)) {
    const fn = isRecord(call.function) ? call.function : {};
    content.push({
      type: "tool-call",
      id: optionalString(call.id) ?? "",
      name: optionalString(fn.name) ?? "",
      arguments: optionalString(fn.arguments) ?? "{}",
    });
  }
  return {
    id: optionalString(body.id) ?? "",
    model: optionalString(body.model) ?? "",
    content,
    finishReason: readOpenAiFinishReason(choice.finish_reason),
    usage: readOpenAiChatUsage(body.usage),
  };
}

export function writeOpenAiChatResult(result: CanonicalChatResult, created: number): Record<string, unknown> {
  const text = result.content
    .filter((part) => part.type === "text")
    .map((part) => part.text)
    .join("");
  const reasoning = result.content
    .filter((part) => part.type === "reasoning")
    .map((part) => part.text)
    .join("");
  const calls = result.content.filter((part) => part.type === "tool-call");
  return {
    id: result.id.startsWith("chatcmpl-") ? result.id : `chatcmpl-${result.id}`,
    object: "chat.completion",
    created,
    model: result.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: text === "" && calls.length > 0 ? null : text,
          refusal: null,
          ...(reasoning === "" ? {} : { reasoning_content: reasoning }),
          ...(calls.length === 0
            ? {}
            : {
                tool_calls: calls.map((call) => ({
                  id: call.id,
                  type: "function",
                  function: { name: call.name, arguments: call.arguments },
                })),
              }),
        },
        logprobs: null,
        finish_reason: writeOpenAiFinishReason(result.finishReason),
      },
    ],
    usage: writeOpenAiChatUsage(result.usage),
    // The provider's own stop reason, which the unified `finish_reason` cannot always express.
    switchyard: { raw_finish_reason: result.finishReason.raw },
  };
}

const openAiTypeByStatus: Readonly<Record<number, string>> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  429: "rate_limit_error",
};

const anthropicTypeByOpenAiType: Readonly<Record<string, string>> = {
  invalid_request_error: "invalid_request_error",
  authentication_error: "authentication_error",
  permission_error: "permission_error",
  not_found_error: "not_found_error",
  rate_limit_error: "rate_limit_error",
  insufficient_quota: "rate_limit_error",
  server_error: "api_error",
  api_error: "api_error",
};

export function readOpenAiError(status: number, body: unknown): CanonicalError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  const openAiType = optionalString(error?.type) ?? openAiTypeByStatus[status] ?? "api_error";
  return {
    status,
    errorType:
      status === 429
        ? "rate_limit_error"
        : (anthropicTypeByOpenAiType[openAiType] ?? (status >= 500 ? "api_error" : "invalid_request_error")),
    message: optionalString(error?.message) ?? `HTTP ${status}`,
  };
}

export function writeOpenAiError(error: CanonicalError): Record<string, unknown> {
  return { error: { message: error.message, type: error.errorType, param: null, code: null } };
}
