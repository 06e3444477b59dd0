import type {
  CanonicalAssistantPart,
  CanonicalChatResult,
  CanonicalUsage,
} from "../../core/canonical-chat.js";
import { emptyUsage } from "../../core/canonical-chat.js";
import type { CanonicalError } from "../../core/dialect-codec.js";
import { isRecord, numberOrNull, optionalString, records } from "../../core/json-value.js";
import { anthropicErrorType } from "../anthropic/anthropic-response.js";
import { readBedrockStopReason } from "./map-bedrock-stop-reason.js";

/**
 * Fields Converse answers leave out, which the adapter adds so translated answers can name them: the request's
 * `x-amzn-requestid` header as `requestId` and the model id from the URL as `modelId`.
 */
export const bedrockAnswerFields = { requestId: "requestId", modelId: "modelId" } as const;

/**
 * Converse usage → canonical. Bedrock's `inputTokens` excludes cache reads and writes (`totalTokens` adds
 * them); the canonical `inputTokens` is the whole prompt, so the three are added.
 */
export function readBedrockUsage(usage: unknown): CanonicalUsage {
  if (!isRecord(usage)) return emptyUsage;
  const input = numberOrNull(usage.inputTokens);
  const cacheRead = numberOrNull(usage.cacheReadInputTokens);
  const cacheWrite = numberOrNull(usage.cacheWriteInputTokens);
  return {
    inputTokens: input === null ? null : input + (cacheRead ?? 0) + (cacheWrite ?? 0),
    outputTokens: numberOrNull(usage.outputTokens),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: null,
  };
}

/** A Converse response (`output.message`, `stopReason`, `usage`) → canonical. */
export function readBedrockResult(body: Readonly<Record<string, unknown>>): CanonicalChatResult {
  const output = isRecord(body.output) ? body.output : {};
  const message = isRecord(output.message) ? output.message : {};
  const content: CanonicalAssistantPart[] = [];
  for (const block of records(message.content)) {
    if (typeof block.text === "string") content.push({ type: "text", text: block.text });
    else if (isRecord(block.toolUse)) {
      content.push({
        type: "tool-call",
        id: optionalString(block.toolUse.toolUseId) ?? "",
        name: optionalString(block.toolUse.name) ?? "",
        arguments: JSON.stringify(block.toolUse.input ?? {}),
      });
    } else if (isRecord(block.reasoningContent)) {
      const reasoning = block.reasoningContent;
      if (isRecord(reasoning.reasoningText)) {
        content.push({
          type: "reasoning",
          text: optionalString(reasoning.reasoningText.text) ?? "",
          signature: optionalString(reasoning.reasoningText.signature),
        });
      } else if (typeof reasoning.redactedContent === "string") {
        content.push({ type: "redacted-reasoning", data: reasoning.redactedContent });
      }
    }
  }
  return {
    id: optionalString(body[bedrockAnswerFields.requestId]) ?? "",
    model: optionalString(body[bedrockAnswerFields.modelId]) ?? "",
    content,
    finishReason: readBedrockStopReason(body.stopReason, body.additionalModelResponseFields),
    usage: readBedrockUsage(body.usage),
  };
}

/** Bedrock exception names (`x-amzn-errortype`, stream `:exception-type`) → Anthropic's error vocabulary. */
const errorTypesByException: Readonly<Record<string, string>> = {
  ValidationException: "invalid_request_error",
  AccessDeniedException: "permission_error",
  UnrecognizedClientException: "authentication_error",
  InvalidSignatureException: "authentication_error",
  ExpiredTokenException: "authentication_error",
  IncompleteSignatureException: "authentication_error",
  ResourceNotFoundException: "not_found_error",
  ThrottlingException: "rate_limit_error",
  ServiceQuotaExceededException: "rate_limit_error",
  ModelNotReadyException: "overloaded_error",
  ServiceUnavailableException: "overloaded_error",
  ModelTimeoutException: "timeout_error",
  InternalServerException: "api_error",
  ModelErrorException: "api_error",
  ModelStreamErrorException: "api_error",
};

/**
 * The exception name from `ValidationException:http://internal.amazon.com/…` (the header's form), a stream's
 * `throttlingException` or a body's `__type` (`com.amazon.bedrock#ThrottlingException`).
 */
export function bedrockExceptionName(raw: string): string {
  const name = raw.split(":")[0]?.split("#").at(-1) ?? raw;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export function bedrockErrorType(exceptionName: string | undefined, status: number): string {
  const known = exceptionName === undefined ? undefined : errorTypesByException[exceptionName];
  return known ?? anthropicErrorType(status);
}

/**
 * A Bedrock error answer: the HTTP status, a `{"message": …}` body (`Message` in some services) and the
 * exception name, which the adapter copies from the `x-amzn-errortype` header into the body's `__type`.
 */
export function readBedrockError(status: number, body: unknown): CanonicalError {
  const record = isRecord(body) ? body : {};
  const rawType = optionalString(record.__type);
  return {
    status,
    errorType: bedrockErrorType(rawType === undefined ? undefined : bedrockExceptionName(rawType), status),
    message: optionalString(record.message) ?? optionalString(record.Message) ?? `HTTP ${status}`,
  };
}
