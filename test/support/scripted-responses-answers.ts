import type { MockAnswer } from "./mock-openai-upstream.js";
import { splitEvery, writeSlowly } from "./scripted-chat-answers.js";

/** Scripted OpenAI Responses answers (whole Response objects and typed event streams) for the policy tests. */

export interface ResponsesAnswerParts {
  readonly text: string;
  readonly tool?: { readonly name: string; readonly arguments: string };
  /** Echoed as the Response's `instructions`, as OpenAI does. */
  readonly instructions?: string | null;
}

type ResponsesEvent = Record<string, unknown>;

const messageId = "msg_68c1f2d5f6a78193b2c3d4e5f6a7b8c9";
const callItemId = "fc_68c1f2e6a7b88193c3d4e5f6a7b8c9d0";

function messageItem(text: string, status: string): Record<string, unknown> {
  const content = status === "in_progress" ? [] : [outputText(text)];
  return { id: messageId, type: "message", status, content, role: "assistant" };
}

function outputText(text: string): Record<string, unknown> {
  return { type: "output_text", annotations: [], logprobs: [], text };
}

function callItem(tool: { name: string; arguments: string }, status: string): Record<string, unknown> {
  const args = status === "in_progress" ? "" : tool.arguments;
  return {
    id: callItemId,
    type: "function_call",
    status,
    arguments: args,
    call_id: "call_Qm3bV7xK9pL2sT6wY1zA4cF8",
    name: tool.name,
  };
}

/** A Response object like `response-text.json`, with a message item and, when given, a function call item. */
export function responseObject(
  parts: ResponsesAnswerParts,
  status = "completed",
  output: readonly unknown[] = [
    messageItem(parts.text, "completed"),
    ...(parts.tool === undefined ? [] : [callItem(parts.tool, "completed")]),
  ],
): Record<string, unknown> {
  const done = status !== "in_progress";
  return {
    id: "resp_68c1f2d4e5f68193a1b2c3d4e5f6a7b8",
    object: "response",
    created_at: 1757541076,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: parts.instructions ?? null,
    max_output_tokens: null,
    model: "gpt-4.1-2025-04-14",
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: 1.0,
    text: { format: { type: "text" } },
    tool_choice: "auto",
    tools: [],
    top_p: 1.0,
    truncation: "disabled",
    usage: done
      ? {
          input_tokens: 36,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: 17,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: 53,
        }
      : null,
    user: null,
    metadata: {},
  };
}

/**
 * The typed event stream OpenAI sends for the parts (as in `response-text.chunks.txt` and
 * `response-function-call.chunks.txt`): text deltas in pieces of 3, 5, 2 characters, arguments in 4, 1, 7.
 */
export function responseEvents(parts: ResponsesAnswerParts): ResponsesEvent[] {
  const events: ResponsesEvent[] = [
    { type: "response.created", response: responseObject(parts, "in_progress", []) },
    { type: "response.in_progress", response: responseObject(parts, "in_progress", []) },
    { type: "response.output_item.added", output_index: 0, item: messageItem("", "in_progress") },
  ];
  const atText = { item_id: messageId, output_index: 0, content_index: 0 };
  events.push({ type: "response.content_part.added", ...atText, part: outputText("") });
  for (const delta of splitEvery(parts.text, [3, 5, 2]))
    events.push({ type: "response.output_text.delta", ...atText, delta, logprobs: [] });
  events.push(
    { type: "response.output_text.done", ...atText, text: parts.text, logprobs: [] },
    { type: "response.content_part.done", ...atText, part: outputText(parts.text) },
    { type: "response.output_item.done", output_index: 0, item: messageItem(parts.text, "completed") },
  );
  if (parts.tool !== undefined) {
    const atCall = { item_id: callItemId, output_index: 1 };
    events.push({
      type: "response.output_item.added",
      output_index: 1,
      item: callItem(parts.tool, "in_progress"),
    });
    for (const delta of splitEvery(parts.tool.arguments, [4, 1, 7]))
      events.push({ type: "response.function_call_arguments.delta", ...atCall, delta });
    events.push(
      { type: "response.function_call_arguments.done", ...atCall, arguments: parts.tool.arguments },
      { type: "response.output_item.done", output_index: 1, item: callItem(parts.tool, "completed") },
    );
  }
  events.push({ type: "response.completed", response: responseObject(parts) });
  return events.map((event, sequence_number) => ({ ...event, sequence_number }));
}

/** A whole Response built from the request the upstream received. */
export function responsesJson(parts: (request: Record<string, unknown>) => ResponsesAnswerParts): MockAnswer {
  return (request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(responseObject(echoInstructions(parts(request.body), request.body))));
  };
}

/** The event stream of the parts, written a few bytes at a time. */
export function responsesSse(parts: (request: Record<string, unknown>) => ResponsesAnswerParts): MockAnswer {
  return (request, response) => {
    const events = responseEvents(echoInstructions(parts(request.body), request.body));
    writeSlowly(
      response,
      events.map((event) => `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`).join(""),
    );
  };
}

function echoInstructions(parts: ResponsesAnswerParts, body: Record<string, unknown>): ResponsesAnswerParts {
  const instructions = typeof body.instructions === "string" ? body.instructions : null;
  return { ...parts, instructions: parts.instructions ?? instructions };
}
