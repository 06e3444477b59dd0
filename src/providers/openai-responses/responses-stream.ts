import type { CanonicalFinishReason, CanonicalUsage } from "../../core/canonical-chat.js";
import { emptyUsage } from "../../core/canonical-chat.js";
import type { StreamEncoder } from "../../core/canonical-stream.js";
import {
  functionCallItem,
  messageItem,
  outputItemId,
  outputTextPart,
  reasoningItem,
  responseEnvelope,
  responseId,
  responseStatus,
  writeResponsesUsage,
} from "./responses-result.js";

interface OpenItem {
  readonly kind: "message" | "reasoning" | "function_call";
  readonly id: string;
  readonly outputIndex: number;
  text: string;
  signature: string | undefined;
  readonly callId: string;
  readonly name: string;
}

/**
 * Writes OpenAI Responses streaming events (https://platform.openai.com/docs/api-reference/responses-streaming)
 * from canonical parts: `response.created`, `response.in_progress`, then per output item `output_item.added`,
 * its content part and deltas, their `…done` events and `output_item.done`, and last `response.completed` (or
 * `response.incomplete`) carrying the whole Response with usage. Every event has a rising `sequence_number`.
 * Tool calls stay open until the end, since a chat upstream may interleave their argument deltas.
 */
export function createResponsesStreamEncoder(): StreamEncoder {
  let sequence = 0;
  let started = false;
  let id = responseId("");
  let model = "";
  const createdAt = Math.floor(Date.now() / 1000);
  const items: OpenItem[] = [];
  const done: Record<string, unknown>[] = [];
  const open = new Set<OpenItem>();
  const itemByTool = new Map<number, OpenItem>();
  let usage: CanonicalUsage = emptyUsage;
  let finish: CanonicalFinishReason = { unified: "stop", raw: null };

  const frame = (type: string, payload: Record<string, unknown>): string => {
    const event = { type, ...payload, sequence_number: sequence };
    sequence += 1;
    return `event: ${type}\ndata: ${JSON.stringify(event)}\n\n`;
  };
  const start = (): string => {
    if (started) return "";
    started = true;
    const response = responseEnvelope(id, model, createdAt);
    return frame("response.created", { response }) + frame("response.in_progress", { response });
  };
  const finishedItem = (item: OpenItem): Record<string, unknown> => {
    switch (item.kind) {
      case "message":
        return messageItem(item.id, item.text, "completed");
      case "reasoning":
        return reasoningItem(item.id, item.text, item.signature, "completed");
      case "function_call":
        return functionCallItem(item.id, item.callId, item.name, item.text, "completed");
    }
  };
  const close = (item: OpenItem): string => {
    open.delete(item);
    const where = { item_id: item.id, output_index: item.outputIndex };
    let text = "";
    if (item.kind === "message") {
      text +=
        frame("response.output_text.done", { ...where, content_index: 0, text: item.text, logprobs: [] }) +
        frame("response.content_part.done", { ...where, content_index: 0, part: outputTextPart(item.text) });
    } else if (item.kind === "reasoning" && item.text !== "") {
      const part = { type: "reasoning_text", text: item.text };
      text +=
        frame("response.reasoning_text.done", { ...where, content_index: 0, text: item.text }) +
        frame("response.content_part.done", { ...where, content_index: 0, part });
    } else if (item.kind === "function_call") {
      text += frame("response.function_call_arguments.done", {
        ...where,
        name: item.name,
        arguments: item.text,
      });
    }
    const finished = finishedItem(item);
    done[item.outputIndex] = finished;
    return text + frame("response.output_item.done", { output_index: item.outputIndex, item: finished });
  };
  /** Closes the open message or reasoning item (tool calls stay open). */
  const closeProse = (): string => {
    let text = "";
    for (const item of [...open]) if (item.kind !== "function_call") text += close(item);
    return text;
  };
  const openItem = (
    kind: OpenItem["kind"],
    fields: { callId?: string; name?: string; signature?: string } = {},
  ): [OpenItem, string] => {
    const outputIndex = items.length;
    const prefix = kind === "message" ? "msg" : kind === "reasoning" ? "rs" : "fc";
    const item: OpenItem = {
      kind,
      id: outputItemId(prefix, id, outputIndex),
      outputIndex,
      text: "",
      signature: fields.signature,
      callId: fields.callId ?? "",
      name: fields.name ?? "",
    };
    items.push(item);
    open.add(item);
    const added =
      kind === "message"
        ? messageItem(item.id, undefined, "in_progress")
        : kind === "reasoning"
          ? reasoningItem(item.id, "", undefined, "in_progress")
          : functionCallItem(item.id, item.callId, item.name, "", "in_progress");
    return [item, frame("response.output_item.added", { output_index: outputIndex, item: added })];
  };
  const current = (kind: "message" | "reasoning"): [OpenItem, string] => {
    const last = items.at(-1);
    if (last !== undefined && last.kind === kind && open.has(last)) return [last, ""];
    const closed = closeProse();
    const [item, added] = openItem(kind);
    const part = kind === "message" ? outputTextPart("") : { type: "reasoning_text", text: "" };
    const where = { item_id: item.id, output_index: item.outputIndex, content_index: 0 };
    return [item, closed + added + frame("response.content_part.added", { ...where, part })];
  };

  return {
    encode(part) {
      switch (part.type) {
        case "response-start":
          if (!started) {
            if (part.id !== "") id = responseId(part.id);
            model = part.model;
          }
          return start();
        case "text-delta": {
          const prefix = start();
          const [item, opened] = current("message");
          item.text += part.text;
          const where = { item_id: item.id, output_index: item.outputIndex, content_index: 0 };
          return (
            prefix +
            opened +
            frame("response.output_text.delta", { ...where, delta: part.text, logprobs: [] })
          );
        }
        case "reasoning-delta": {
          const prefix = start();
          const [item, opened] = current("reasoning");
          item.text += part.text;
          const where = { item_id: item.id, output_index: item.outputIndex, content_index: 0 };
          return prefix + opened + frame("response.reasoning_text.delta", { ...where, delta: part.text });
        }
        case "reasoning-signature": {
          const last = items.at(-1);
          if (last?.kind === "reasoning" && open.has(last)) last.signature = part.signature;
          return "";
        }
        case "redacted-reasoning": {
          const prefix = start() + closeProse();
          const [item, added] = openItem("reasoning", { signature: part.data });
          return prefix + added + close(item);
        }
        case "tool-call-start": {
          const prefix = start() + closeProse();
          const [item, added] = openItem("function_call", { callId: part.id, name: part.name });
          itemByTool.set(part.toolIndex, item);
          return prefix + added;
        }
        case "tool-call-delta": {
          const item = itemByTool.get(part.toolIndex);
          if (item === undefined || part.argumentsDelta === "") return "";
          item.text += part.argumentsDelta;
          return frame("response.function_call_arguments.delta", {
            item_id: item.id,
            output_index: item.outputIndex,
            delta: part.argumentsDelta,
          });
        }
        case "usage":
          usage = part.usage;
          return "";
        case "finish":
          finish = part.finishReason;
          return "";
        case "error":
          return frame("error", { code: part.errorType, message: part.message, param: null });
        case "end": {
          let text = start();
          for (const item of [...open].sort((a, b) => a.outputIndex - b.outputIndex)) text += close(item);
          const status = responseStatus(finish);
          const response = {
            ...responseEnvelope(id, model, createdAt),
            ...status,
            output: done.filter((item) => item !== undefined),
            usage: writeResponsesUsage(usage),
            switchyard: { raw_finish_reason: finish.raw },
          };
          const type = status.status === "completed" ? "response.completed" : "response.incomplete";
          return text + frame(type, { response });
        }
      }
    },
  };
}
