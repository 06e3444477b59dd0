import type { ServerResponse } from "node:http";
import type { MockAnswer } from "./mock-openai-upstream.js";

/** Scripted upstream answers (Anthropic Messages and OpenAI Chat wire formats) for the policy e2e tests. */

/** The placeholders the gateway put into what an upstream received, in order of first appearance. */
export function placeholdersIn(body: Record<string, unknown>): string[] {
  return [...new Set(JSON.stringify(body).match(/⟦[A-Z0-9_]+⟧/g) ?? [])];
}

/** Splits a string into pieces of the given sizes, cycling, so placeholders land across deltas. */
export function splitEvery(text: string, sizes: readonly number[]): string[] {
  const pieces: string[] = [];
  for (let offset = 0, turn = 0; offset < text.length; turn += 1) {
    const size = sizes[turn % sizes.length] ?? 1;
    pieces.push(text.slice(offset, offset + size));
    offset += size;
  }
  return pieces;
}

/** Writes raw SSE text a few bytes at a time, each write split mid-event, like real upstreams. */
export function writeSlowly(response: ServerResponse, raw: string): void {
  response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
  let offset = 0;
  const write = () => {
    if (offset >= raw.length) return void response.end();
    const size = 37;
    response.write(raw.slice(offset, offset + size), () => setImmediate(write));
    offset += size;
  };
  write();
}

export type AnthropicBlock =
  | { readonly type: "text"; readonly text: string }
  | { readonly type: "tool_use"; readonly id: string; readonly name: string; readonly input: unknown };

function anthropicMessage(content: readonly AnthropicBlock[], stopReason: string): Record<string, unknown> {
  return {
    id: "msg_01SafetyTest",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-5-20250929",
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { input_tokens: 25, output_tokens: 12 },
  };
}

const stopReasonOf = (blocks: readonly AnthropicBlock[]) =>
  blocks.some((block) => block.type === "tool_use") ? "tool_use" : "end_turn";

/** A whole Anthropic message whose blocks are built from the request the upstream received. */
export function anthropicJson(blocks: (request: Record<string, unknown>) => AnthropicBlock[]): MockAnswer {
  return (request, response) => {
    const content = blocks(request.body);
    response.writeHead(200, { "content-type": "application/json", "request-id": "req_safety" });
    response.end(JSON.stringify(anthropicMessage(content, stopReasonOf(content))));
  };
}

const sseEvent = (data: Record<string, unknown>) =>
  `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`;

/** An Anthropic SSE stream of the blocks: text in pieces of 3, 5, 2 characters, tool input in 4, 1, 7. */
export function anthropicSse(blocks: (request: Record<string, unknown>) => AnthropicBlock[]): MockAnswer {
  return (request, response) => {
    const content = blocks(request.body);
    const start = {
      ...anthropicMessage([], ""),
      stop_reason: null,
      usage: { input_tokens: 25, output_tokens: 1 },
    };
    const events = [sseEvent({ type: "message_start", message: start }), sseEvent({ type: "ping" })];
    content.forEach((block, index) => {
      if (block.type === "text") {
        events.push(
          sseEvent({ type: "content_block_start", index, content_block: { type: "text", text: "" } }),
        );
        for (const text of splitEvery(block.text, [3, 5, 2]))
          events.push(sseEvent({ type: "content_block_delta", index, delta: { type: "text_delta", text } }));
      } else {
        const started = { type: "tool_use", id: block.id, name: block.name, input: {} };
        events.push(sseEvent({ type: "content_block_start", index, content_block: started }));
        for (const partial_json of ["", ...splitEvery(JSON.stringify(block.input), [4, 1, 7])])
          events.push(
            sseEvent({
              type: "content_block_delta",
              index,
              delta: { type: "input_json_delta", partial_json },
            }),
          );
      }
      events.push(sseEvent({ type: "content_block_stop", index }));
    });
    events.push(
      sseEvent({
        type: "message_delta",
        delta: { stop_reason: stopReasonOf(content), stop_sequence: null },
        usage: { output_tokens: 12 },
      }),
      sseEvent({ type: "message_stop" }),
    );
    writeSlowly(response, events.join(""));
  };
}

export interface OpenAiAnswerParts {
  readonly text: string;
  readonly tool?: { readonly name: string; readonly arguments: string };
}

/** A whole OpenAI chat completion built from the request the upstream received. */
export function openAiJson(parts: (request: Record<string, unknown>) => OpenAiAnswerParts): MockAnswer {
  return (request, response) => {
    const { text, tool } = parts(request.body);
    const message = {
      role: "assistant",
      content: text,
      ...(tool === undefined
        ? {}
        : {
            tool_calls: [
              { id: "call_1", type: "function", function: { name: tool.name, arguments: tool.arguments } },
            ],
          }),
    };
    const body = {
      id: "chatcmpl-safety",
      object: "chat.completion",
      created: 1,
      model: "gpt-4o-2024-08-06",
      choices: [{ index: 0, message, finish_reason: tool === undefined ? "stop" : "tool_calls" }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    };
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
}

/** An OpenAI chat stream of the same parts, text and arguments split across chunks, ending with `[DONE]`. */
export function openAiSse(parts: (request: Record<string, unknown>) => OpenAiAnswerParts): MockAnswer {
  return (request, response) => {
    const { text, tool } = parts(request.body);
    const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
      `data: ${JSON.stringify({
        id: "chatcmpl-safety",
        object: "chat.completion.chunk",
        created: 1,
        model: "gpt-4o-2024-08-06",
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      })}\n\n`;
    const events = [chunk({ role: "assistant", content: "" })];
    for (const piece of splitEvery(text, [3, 5, 2])) events.push(chunk({ content: piece }));
    if (tool !== undefined) {
      const first = {
        index: 0,
        id: "call_9",
        type: "function",
        function: { name: tool.name, arguments: "" },
      };
      events.push(chunk({ tool_calls: [first] }));
      for (const piece of splitEvery(tool.arguments, [4, 1, 7]))
        events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
    }
    events.push(chunk({}, tool === undefined ? "stop" : "tool_calls"), "data: [DONE]\n\n");
    writeSlowly(response, events.join(""));
  };
}
