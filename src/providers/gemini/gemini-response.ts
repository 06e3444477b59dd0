import type { CanonicalAssistantPart, CanonicalChatResult } from "../../core/canonical-chat.js";
import type { CanonicalError } from "../../core/dialect-codec.js";
import { isRecord, optionalString, records } from "../../core/json-value.js";
import { anthropicErrorType } from "../anthropic/anthropic-response.js";
import { readGeminiUsage } from "./gemini-usage.js";
import { readGeminiFinishReason } from "./map-gemini-finish-reason.js";

/**
 * The id of a Gemini function call: its own `id` when it sent one, else `call_<responseId>_<n>` where n counts
 * the response's function calls from 0. Deterministic, so a streamed and a buffered read of one response agree.
 */
export function geminiToolCallId(ownId: unknown, responseId: string, toolIndex: number): string {
  const given = optionalString(ownId);
  if (given !== undefined && given !== "") return given;
  return responseId === "" ? `call_${toolIndex}` : `call_${responseId}_${toolIndex}`;
}

/** The parts of the first candidate (Gemini's `candidates[0].content.parts`). */
export function firstCandidate(body: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  return records(body.candidates)[0];
}

export function candidateParts(candidate: Record<string, unknown> | undefined): Record<string, unknown>[] {
  const content = isRecord(candidate?.content) ? candidate.content : undefined;
  return records(content?.parts);
}

/**
 * One Gemini part → canonical parts. A `thoughtSignature` on a non-thought part (Gemini 2.5+/3 put it on
 * function calls) travels as an empty reasoning part with that signature just before it, so a client that sends
 * its reasoning back (Anthropic thinking blocks) returns the signature Gemini needs to continue the turn.
 */
export function readGeminiPart(
  part: Record<string, unknown>,
  responseId: string,
  nextToolIndex: number,
): CanonicalAssistantPart[] {
  const signature = optionalString(part.thoughtSignature);
  if (part.thought === true) {
    return [{ type: "reasoning", text: optionalString(part.text) ?? "", signature }];
  }
  const parts: CanonicalAssistantPart[] =
    signature === undefined ? [] : [{ type: "reasoning", text: "", signature }];
  if (typeof part.text === "string") {
    if (part.text !== "") parts.push({ type: "text", text: part.text });
  } else if (isRecord(part.functionCall)) {
    const call = part.functionCall;
    parts.push({
      type: "tool-call",
      id: geminiToolCallId(call.id, responseId, nextToolIndex),
      name: optionalString(call.name) ?? "",
      arguments: JSON.stringify(isRecord(call.args) ? call.args : {}),
    });
  }
  return parts;
}

/** Reads a `generateContent` response (https://ai.google.dev/api/generate-content#GenerateContentResponse). */
export function readGeminiResult(body: Readonly<Record<string, unknown>>): CanonicalChatResult {
  const responseId = optionalString(body.responseId) ?? "";
  const candidate = firstCandidate(body);
  const content: CanonicalAssistantPart[] = [];
  let toolCalls = 0;
  for (const part of candidateParts(candidate)) {
    const read = readGeminiPart(part, responseId, toolCalls);
    toolCalls += read.filter((item) => item.type === "tool-call").length;
    content.push(...read);
  }
  const promptFeedback = isRecord(body.promptFeedback) ? body.promptFeedback : undefined;
  const blocked = candidate === undefined ? optionalString(promptFeedback?.blockReason) : undefined;
  return {
    id: responseId,
    model: optionalString(body.modelVersion) ?? "",
    content,
    finishReason:
      blocked === undefined
        ? readGeminiFinishReason(candidate?.finishReason, toolCalls > 0)
        : { unified: "content-filter", raw: blocked, stopSequence: null },
    usage: readGeminiUsage(body.usageMetadata),
  };
}

/**
 * Google's error body `{error: {code, message, status}}` (https://ai.google.dev/gemini-api/docs/troubleshooting)
 * → canonical. The type follows the HTTP status, except UNAVAILABLE which is Anthropic's `overloaded_error`.
 */
export function readGeminiError(status: number, body: unknown): CanonicalError {
  const topLevel = Array.isArray(body) ? body[0] : body;
  const error = isRecord(topLevel) && isRecord(topLevel.error) ? topLevel.error : undefined;
  const googleStatus = optionalString(error?.status);
  return {
    status,
    errorType: googleStatus === "UNAVAILABLE" ? "overloaded_error" : anthropicErrorType(status),
    message: optionalString(error?.message) ?? `HTTP ${status}`,
  };
}

/**
 * The wait Gemini asks for in a 429's `google.rpc.RetryInfo` detail (`"retryDelay": "21s"`, a protobuf
 * Duration), in ms; Gemini sends no Retry-After header, so the adapter turns this into `retry-after-ms`.
 */
export function geminiRetryDelayMs(body: unknown): number | undefined {
  const topLevel = Array.isArray(body) ? body[0] : body;
  const error = isRecord(topLevel) && isRecord(topLevel.error) ? topLevel.error : undefined;
  for (const detail of records(error?.details)) {
    if (detail["@type"] !== "type.googleapis.com/google.rpc.RetryInfo") continue;
    const match = /^(\d+(?:\.\d+)?)s$/.exec(optionalString(detail.retryDelay) ?? "");
    if (match !== null) return Math.round(Number(match[1]) * 1000);
  }
  return undefined;
}
