import type { CanonicalFinishReason } from "../../core/canonical-chat.js";
import type { CanonicalStreamPart, StreamDecoder } from "../../core/canonical-stream.js";
import { isRecord, optionalString } from "../../core/json-value.js";
import {
  bedrockAnswerFields,
  bedrockErrorType,
  bedrockExceptionName,
  readBedrockUsage,
} from "./bedrock-response.js";
import { readBedrockStopReason } from "./map-bedrock-stop-reason.js";

/** The SSE event name the adapter gives a binary `:message-type: exception` frame (see bedrock-event-stream.ts). */
export const bedrockExceptionEvent = "error";

/**
 * Reads ConverseStream events, which the adapter hands over as (event type, JSON payload)
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html): `messageStart`,
 * `contentBlockStart` (tool use only), `contentBlockDelta`, `contentBlockStop`, `messageStop` (the stop reason)
 * and finally `metadata` (usage). Usage arrives after the stop reason, so the finish part waits for it and the
 * stream ends cleanly only once `metadata` came.
 */
export function createBedrockStreamDecoder(): StreamDecoder {
  const toolIndexByBlock = new Map<number, number>();
  let finish: CanonicalFinishReason | undefined;
  return {
    decode(event, data) {
      const parsed: unknown = JSON.parse(data);
      if (!isRecord(parsed)) return [];
      switch (event) {
        case "messageStart":
          return [
            {
              type: "response-start",
              id: optionalString(parsed[bedrockAnswerFields.requestId]) ?? "",
              model: optionalString(parsed[bedrockAnswerFields.modelId]) ?? "",
            },
          ];
        case "contentBlockStart": {
          const start = isRecord(parsed.start) ? parsed.start : {};
          if (!isRecord(start.toolUse)) return [];
          const toolIndex = toolIndexByBlock.size;
          toolIndexByBlock.set(blockIndex(parsed), toolIndex);
          return [
            {
              type: "tool-call-start",
              toolIndex,
              id: optionalString(start.toolUse.toolUseId) ?? "",
              name: optionalString(start.toolUse.name) ?? "",
            },
          ];
        }
        case "contentBlockDelta":
          return decodeDelta(parsed, toolIndexByBlock);
        case "messageStop":
          finish = readBedrockStopReason(parsed.stopReason, parsed.additionalModelResponseFields);
          return [];
        case "metadata":
          return [
            { type: "usage", usage: readBedrockUsage(parsed.usage) },
            { type: "finish", finishReason: finish ?? { unified: "other", raw: null } },
            { type: "end" },
          ];
        case bedrockExceptionEvent: {
          const rawType = optionalString(parsed.__type);
          const name = rawType === undefined ? undefined : bedrockExceptionName(rawType);
          return [
            {
              type: "error",
              errorType: bedrockErrorType(name, 500),
              message: optionalString(parsed.message) ?? name ?? "stream error",
            },
          ];
        }
        default:
          return [];
      }
    },
  };
}

function blockIndex(parsed: Record<string, unknown>): number {
  return typeof parsed.contentBlockIndex === "number" ? parsed.contentBlockIndex : -1;
}

function decodeDelta(
  parsed: Record<string, unknown>,
  toolIndexByBlock: ReadonlyMap<number, number>,
): CanonicalStreamPart[] {
  const delta = isRecord(parsed.delta) ? parsed.delta : {};
  if (typeof delta.text === "string") return [{ type: "text-delta", text: delta.text }];
  if (isRecord(delta.toolUse)) {
    const toolIndex = toolIndexByBlock.get(blockIndex(parsed));
    const input = optionalString(delta.toolUse.input) ?? "";
    if (toolIndex === undefined || input === "") return [];
    return [{ type: "tool-call-delta", toolIndex, argumentsDelta: input }];
  }
  if (isRecord(delta.reasoningContent)) {
    const reasoning = delta.reasoningContent;
    if (typeof reasoning.text === "string") return [{ type: "reasoning-delta", text: reasoning.text }];
    if (typeof reasoning.signature === "string") {
      return [{ type: "reasoning-signature", signature: reasoning.signature }];
    }
    if (typeof reasoning.redactedContent === "string") {
      return [{ type: "redacted-reasoning", data: reasoning.redactedContent }];
    }
  }
  return [];
}
