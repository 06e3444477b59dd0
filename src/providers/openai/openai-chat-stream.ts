import type { CanonicalFinishReason, CanonicalUsage } from "../../core/canonical-chat.js";
import type { CanonicalStreamPart, StreamDecoder, StreamEncoder } from "../../core/canonical-stream.js";
import { isRecord, optionalString, records } from "../../core/json-value.js";
import { readOpenAiFinishReason, writeOpenAiFinishReason } from "./map-openai-finish-reason.js";
import { readOpenAiChatUsage, readOpenAiError, writeOpenAiChatUsage } from "./openai-chat-response.js";

/**
 * Reads OpenAI Chat Completions chunks. Tool calls are keyed by `tool_calls[].index` (arguments of one call may
 * arrive in many chunks and calls may interleave); the first chunk of a call carries its id and name.
 */
export function createOpenAiChatStreamDecoder(): StreamDecoder {
  let started = false;
  const toolIndexByCallIndex = new Map<number, number>();
  return {
    decode(_event, data) {
      if (data === "[DONE]") return [{ type: "end" }];
      const chunk: unknown = JSON.parse(data);
      if (!isRecord(chunk)) return [];
      const parts: CanonicalStreamPart[] = [];
      if (isRecord(chunk.error)) {
        const { errorType, message } = readOpenAiError(inStreamErrorStatus(chunk.error), chunk);
        return [{ type: "error", errorType, message }];
      }
      // Azure's prompt_filter_results chunk (empty id and model) and its content-filter annotations carry no
      // choices: they say nothing canonical, and the response starts with the first real chunk.
      if (Array.isArray(chunk.choices) && chunk.choices.length === 0 && !isRecord(chunk.usage)) return [];
      if (!started) {
        started = true;
        parts.push({
          type: "response-start",
          id: optionalString(chunk.id) ?? "",
          model: optionalString(chunk.model) ?? "",
        });
      }
      for (const choice of records(chunk.choices)) {
        if (choice.index !== undefined && choice.index !== 0) continue;
        const delta = isRecord(choice.delta) ? choice.delta : {};
        const reasoning = optionalString(delta.reasoning_content) ?? optionalString(delta.reasoning);
        if (reasoning !== undefined && reasoning !== "")
          parts.push({ type: "reasoning-delta", text: reasoning });
        const text = optionalString(delta.content);
        if (text !== undefined && text !== "") parts.push({ type: "text-delta", text });
        for (const call of records(delta.tool_calls)) {
          const callIndex = typeof call.index === "number" ? call.index : 0;
          const fn = isRecord(call.function) ? call.function : {};
          let toolIndex = toolIndexByCallIndex.get(callIndex);
          if (toolIndex === undefined) {
            toolIndex = toolIndexByCallIndex.size;
            toolIndexByCallIndex.set(callIndex, toolIndex);
            parts.push({
              type: "tool-call-start",
              toolIndex,
              id: optionalString(call.id) ?? `call_${toolIndex}`,
              name: optionalString(fn.name) ?? "",
            });
          }
          const argumentsDelta = optionalString(fn.arguments);
          if (argumentsDelta !== undefined && argumentsDelta !== "") {
            parts.push({ type: "tool-call-delta", toolIndex, argumentsDelta });
          }
        }
        if (typeof choice.finish_reason === "string") {
          parts.push({ type: "finish", finishReason: readOpenAiFinishReason(choice.finish_reason) });
        }
      }
      if (isRecord(chunk.usage)) parts.push({ type: "usage", usage: readOpenAiChatUsage(chunk.usage) });
      return parts;
    },
  };
}

/**
 * The status an error inside a 200 stream stands for: Azure puts it in `code` as a string (`"429"`, `"500"`);
 * without one it counts as a server error.
 */
function inStreamErrorStatus(error: Readonly<Record<string, unknown>>): number {
  const status = Number(error.code ?? error.status);
  return Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
}

/**
 * Writes OpenAI chunks. The finish chunk is held until usage arrives or the stream ends, because Anthropic
 * sends usage and the stop reason together while OpenAI sends the finish chunk, then a usage-only chunk.
 */
export function createOpenAiChatStreamEncoder(created: number): StreamEncoder {
  let id = "chatcmpl-switchyard";
  let model = "";
  let sentRole = false;
  let finish: CanonicalFinishReason | undefined;
  let usage: CanonicalUsage | undefined;
  const chunk = (
    delta: Record<string, unknown>,
    finishReason: string | null = null,
    extra: Record<string, unknown> = {},
  ): string => {
    const role = sentRole ? {} : { role: "assistant" };
    sentRole = true;
    const body = {
      id,
      object: "chat.completion.chunk",
      created,
      model,
      choices: [{ index: 0, delta: { ...role, ...delta }, logprobs: null, finish_reason: finishReason }],
      ...extra,
    };
    return `data: ${JSON.stringify(body)}\n\n`;
  };
  return {
    encode(part) {
      switch (part.type) {
        case "response-start":
          if (part.id !== "") id = part.id.startsWith("chatcmpl-") ? part.id : `chatcmpl-${part.id}`;
          model = part.model;
          return chunk({ content: "" });
        case "text-delta":
          return chunk({ content: part.text });
        case "reasoning-delta":
          return chunk({ reasoning_content: part.text });
        case "tool-call-start":
          return chunk({
            tool_calls: [
              {
                index: part.toolIndex,
                id: part.id,
                type: "function",
                function: { name: part.name, arguments: "" },
              },
            ],
          });
        case "tool-call-delta":
          return chunk({
            tool_calls: [{ index: part.toolIndex, function: { arguments: part.argumentsDelta } }],
          });
        case "usage":
          usage = part.usage;
          return "";
        case "finish":
          finish = part.finishReason;
          return "";
        case "error":
          return `data: ${JSON.stringify({ error: { message: part.message, type: part.errorType, param: null, code: null } })}\n\n`;
        case "end": {
          const reason = finish ?? { unified: "stop", raw: null };
          // The provider's own finish reason rides on the finish chunk, as in non-streamed answers.
          const finishText = chunk({}, writeOpenAiFinishReason(reason), {
            switchyard: { raw_finish_reason: reason.raw },
          });
          const usageText =
            usage === undefined
              ? ""
              : `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [], usage: writeOpenAiChatUsage(usage) })}\n\n`;
          return `${finishText}${usageText}data: [DONE]\n\n`;
        }
        default:
          // Signatures and redacted reasoning have no OpenAI Chat representation.
          return "";
      }
    },
  };
}
