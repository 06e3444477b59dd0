import type { CanonicalStreamPart, StreamDecoder } from "../../core/canonical-stream.js";
import { isRecord, optionalString } from "../../core/json-value.js";
import { candidateParts, firstCandidate, readGeminiError, readGeminiPart } from "./gemini-response.js";
import { readGeminiUsage } from "./gemini-usage.js";
import { readGeminiFinishReason } from "./map-gemini-finish-reason.js";

/**
 * Reads `streamGenerateContent?alt=sse`: every `data:` event is a whole GenerateContentResponse holding the
 * next slice of the first candidate. Function calls arrive whole, so each becomes a tool-call start plus one
 * arguments delta. Gemini sends no end marker: the chunk with a `finishReason` ends the turn, and its
 * `usageMetadata` (Gemini repeats the running counts on every chunk) is the turn's usage. A stream that stops
 * before such a chunk never yields `end`, so the caller sees a cut stream, not a clean one. A thought signature
 * on a function call comes out as an empty reasoning delta plus the signature, as a buffered read has it.
 */
export function createGeminiStreamDecoder(): StreamDecoder {
  let started = false;
  let finished = false;
  let toolCalls = 0;
  let responseId = "";
  return {
    decode(_event, data) {
      const chunk: unknown = JSON.parse(data);
      if (!isRecord(chunk) || finished) return [];
      if (isRecord(chunk.error)) {
        const error = readGeminiError(typeof chunk.error.code === "number" ? chunk.error.code : 500, chunk);
        return [{ type: "error", errorType: error.errorType, message: error.message }];
      }
      const parts: CanonicalStreamPart[] = [];
      if (!started) {
        started = true;
        responseId = optionalString(chunk.responseId) ?? "";
        parts.push({
          type: "response-start",
          id: responseId,
          model: optionalString(chunk.modelVersion) ?? "",
        });
      }
      const candidate = firstCandidate(chunk);
      for (const part of candidateParts(candidate)) {
        for (const read of readGeminiPart(part, responseId, toolCalls)) {
          if (read.type === "text") parts.push({ type: "text-delta", text: read.text });
          else if (read.type === "reasoning") {
            // Also when empty: a signature needs an open reasoning block to travel in (Anthropic thinking).
            parts.push({ type: "reasoning-delta", text: read.text });
            if (read.signature !== undefined) {
              parts.push({ type: "reasoning-signature", signature: read.signature });
            }
          } else if (read.type === "tool-call") {
            parts.push(
              { type: "tool-call-start", toolIndex: toolCalls, id: read.id, name: read.name },
              { type: "tool-call-delta", toolIndex: toolCalls, argumentsDelta: read.arguments },
            );
            toolCalls += 1;
          }
        }
      }
      const promptFeedback = isRecord(chunk.promptFeedback) ? chunk.promptFeedback : undefined;
      const blocked = candidate === undefined ? optionalString(promptFeedback?.blockReason) : undefined;
      if (candidate?.finishReason !== undefined || blocked !== undefined) {
        finished = true;
        const usage = readGeminiUsage(chunk.usageMetadata);
        if (usage.inputTokens !== null) parts.push({ type: "usage", usage });
        parts.push(
          {
            type: "finish",
            finishReason:
              blocked === undefined
                ? readGeminiFinishReason(candidate?.finishReason, toolCalls > 0)
                : { unified: "content-filter", raw: blocked, stopSequence: null },
          },
          { type: "end" },
        );
      }
      return parts;
    },
  };
}
