import type { CanonicalFinishReason, CanonicalUsage } from "../../core/canonical-chat.js";
import type { CanonicalStreamPart, StreamDecoder, StreamEncoder } from "../../core/canonical-stream.js";
import { isRecord, optionalString } from "../../core/json-value.js";
import { readAnthropicUsage, writeAnthropicUsage } from "./anthropic-response.js";
import { readAnthropicStopReason, writeAnthropicStopReason } from "./map-anthropic-finish-reason.js";

/**
 * Reads Anthropic's streaming events (https://docs.anthropic.com/en/docs/build-with-claude/streaming):
 * `message_start`, `content_block_start|delta|stop`, `message_delta`, `message_stop`, `ping`, `error`.
 * Usage arrives in two halves (input counts at the start, output at the end); one `usage` part carries both.
 */
export function createAnthropicStreamDecoder(): StreamDecoder {
  const toolIndexByBlock = new Map<number, number>();
  let startUsage: Record<string, unknown> = {};
  return {
    decode(_event, data) {
      const parsed: unknown = JSON.parse(data);
      if (!isRecord(parsed)) return [];
      switch (parsed.type) {
        case "message_start": {
          const message = isRecord(parsed.message) ? parsed.message : {};
          startUsage = isRecord(message.usage) ? message.usage : {};
          return [
            {
              type: "response-start",
              id: optionalString(message.id) ?? "",
              model: optionalString(message.model) ?? "",
            },
          ];
        }
        case "content_block_start": {
          const block = isRecord(parsed.content_block) ? parsed.content_block : {};
          const index = typeof parsed.index === "number" ? parsed.index : 0;
          if (block.type === "tool_use") {
            const toolIndex = toolIndexByBlock.size;
            toolIndexByBlock.set(index, toolIndex);
            return [
              {
                type: "tool-call-start",
                toolIndex,
                id: optionalString(block.id) ?? "",
                name: optionalString(block.name) ?? "",
              },
            ];
          }
          if (block.type === "text" && typeof block.text === "string" && block.text !== "") {
            return [{ type: "text-delta", text: block.text }];
          }
          if (block.type === "redacted_thinking") {
            return [{ type: "redacted-reasoning", data: optionalString(block.data) ?? "" }];
          }
          return [];
        }
        case "content_block_delta":
          return decodeDelta(parsed, toolIndexByBlock);
        case "message_delta": {
          const delta = isRecord(parsed.delta) ? parsed.delta : {};
          const usage = isRecord(parsed.usage) ? parsed.usage : {};
          // Later counts win; the start's input counts stand where the delta leaves them out (or null).
          const merged = { ...startUsage, ...withoutNulls(usage) };
          return [
            { type: "usage", usage: readAnthropicUsage(merged) },
            { type: "finish", finishReason: readAnthropicStopReason(delta.stop_reason, delta.stop_sequence) },
          ];
        }
        case "message_stop":
          return [{ type: "end" }];
        case "error": {
          const error = isRecord(parsed.error) ? parsed.error : {};
          return [
            {
              type: "error",
              errorType: optionalString(error.type) ?? "api_error",
              message: optionalString(error.message) ?? "stream error",
            },
          ];
        }
        default:
          return [];
      }
    },
  };
}

function withoutNulls(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== null && value !== undefined),
  );
}

function decodeDelta(
  parsed: Record<string, unknown>,
  toolIndexByBlock: Map<number, number>,
): CanonicalStreamPart[] {
  const delta = isRecord(parsed.delta) ? parsed.delta : {};
  switch (delta.type) {
    case "text_delta":
      return [{ type: "text-delta", text: optionalString(delta.text) ?? "" }];
    case "input_json_delta": {
      const toolIndex = toolIndexByBlock.get(typeof parsed.index === "number" ? parsed.index : -1);
      if (toolIndex === undefined) return [];
      return [
        { type: "tool-call-delta", toolIndex, argumentsDelta: optionalString(delta.partial_json) ?? "" },
      ];
    }
    case "thinking_delta":
      return [{ type: "reasoning-delta", text: optionalString(delta.thinking) ?? "" }];
    case "signature_delta":
      return [{ type: "reasoning-signature", signature: optionalString(delta.signature) ?? "" }];
    default:
      return [];
  }
}

type BlockKind = "text" | "thinking" | "tool_use";

/** Writes Anthropic's streaming events from canonical parts, opening and closing content blocks as needed. */
export function createAnthropicStreamEncoder(): StreamEncoder {
  let started = false;
  let open: { kind: BlockKind; index: number; toolIndex?: number } | undefined;
  let nextBlock = 0;
  const blockByTool = new Map<number, number>();
  let usage: CanonicalUsage | undefined;
  let finish: CanonicalFinishReason | undefined;
  let id = "msg_switchyard";
  let model = "";

  const frame = (type: string, payload: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`;
  const start = (): string => {
    if (started) return "";
    started = true;
    return frame("message_start", {
      message: {
        id,
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: 0,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: 0,
        },
      },
    });
  };
  const close = (): string => {
    if (open === undefined) return "";
    const text = frame("content_block_stop", { index: open.index });
    open = undefined;
    return text;
  };
  const openBlock = (kind: BlockKind, block: Record<string, unknown>, toolIndex?: number): string => {
    const text = close() + frame("content_block_start", { index: nextBlock, content_block: block });
    open = { kind, index: nextBlock, ...(toolIndex === undefined ? {} : { toolIndex }) };
    nextBlock += 1;
    return text;
  };
  const ensure = (kind: "text" | "thinking"): string => {
    if (open?.kind === kind) return "";
    return openBlock(
      kind,
      kind === "text" ? { type: "text", text: "" } : { type: "thinking", thinking: "", signature: "" },
    );
  };

  return {
    encode(part) {
      switch (part.type) {
        case "response-start":
          if (part.id !== "") id = part.id.startsWith("msg_") ? part.id : `msg_${part.id}`;
          model = part.model;
          return start();
        case "text-delta": {
          const prefix = start() + ensure("text");
          return (
            prefix +
            frame("content_block_delta", {
              index: open?.index,
              delta: { type: "text_delta", text: part.text },
            })
          );
        }
        case "reasoning-delta": {
          const prefix = start() + ensure("thinking");
          return (
            prefix +
            frame("content_block_delta", {
              index: open?.index,
              delta: { type: "thinking_delta", thinking: part.text },
            })
          );
        }
        case "reasoning-signature":
          if (open?.kind !== "thinking") return "";
          return frame("content_block_delta", {
            index: open.index,
            delta: { type: "signature_delta", signature: part.signature },
          });
        case "redacted-reasoning":
          return start() + openBlock("text", { type: "redacted_thinking", data: part.data }) + close();
        case "tool-call-start": {
          const text =
            start() +
            openBlock(
              "tool_use",
              { type: "tool_use", id: part.id, name: part.name, input: {} },
              part.toolIndex,
            );
          blockByTool.set(part.toolIndex, nextBlock - 1);
          return text;
        }
        case "tool-call-delta": {
          const index = blockByTool.get(part.toolIndex);
          if (index === undefined || part.argumentsDelta === "") return "";
          return frame("content_block_delta", {
            index,
            delta: { type: "input_json_delta", partial_json: part.argumentsDelta },
          });
        }
        case "usage":
          usage = part.usage;
          return "";
        case "finish":
          finish = part.finishReason;
          return "";
        case "error":
          return frame("error", { error: { type: part.errorType, message: part.message } });
        case "end": {
          const reason = finish ?? { unified: "stop", raw: null };
          const counts = writeAnthropicUsage(
            usage ?? {
              inputTokens: null,
              outputTokens: null,
              cacheReadTokens: null,
              cacheWriteTokens: null,
              reasoningTokens: null,
            },
          );
          return (
            start() +
            close() +
            frame("message_delta", {
              delta: {
                stop_reason: writeAnthropicStopReason(reason),
                stop_sequence: reason.stopSequence ?? null,
              },
              usage: counts,
              switchyard: { raw_finish_reason: reason.raw },
            }) +
            frame("message_stop", {})
          );
        }
      }
    },
  };
}
