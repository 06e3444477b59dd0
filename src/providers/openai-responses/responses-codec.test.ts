import { readFileSync } from "node:fs";
import { accumulateResponse } from "openai/lib/responses/ResponseAccumulator";
import type { Response, ResponseStreamEvent } from "openai/resources/responses/responses";
import { describe, expect, it } from "vitest";
import type { CanonicalChatResult } from "../../core/canonical-chat.js";
import { anthropicCodec } from "../anthropic/anthropic-codec.js";
import { sseEvents, wireFixture } from "../anthropic/test-fixtures.js";
import { openAiChatCodec } from "../openai/openai-chat-codec.js";
import { createStreamTranslator } from "../stream-translator.js";
import { openAiResponsesCodec } from "./responses-codec.js";

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8")) as Record<
    string,
    unknown
  >;
}

function translatedEvents(upstream: string, from = anthropicCodec): Record<string, unknown>[] {
  const translator = createStreamTranslator(from, openAiResponsesCodec);
  return sseEvents(translator.feed(upstream)).map(([name, data]) => {
    const event = data as Record<string, unknown>;
    expect(name).toBe(event.type);
    return event;
  });
}

/** Replays events through the official SDK's own accumulator, as `client.responses.stream()` does. */
function accumulate(events: readonly Record<string, unknown>[]): Response {
  let snapshot: Response | undefined;
  for (const event of events) {
    if (event.type === "response.completed" || event.type === "response.incomplete") {
      return event.response as Response;
    }
    snapshot = accumulateResponse(event as unknown as ResponseStreamEvent, snapshot);
  }
  if (snapshot === undefined) throw new Error("no events");
  return snapshot;
}

describe("readRequest (Responses → canonical)", () => {
  it("reads instructions, every input item kind, tools, format and sampling settings", () => {
    const warnings: string[] = [];
    const request = openAiResponsesCodec.readRequest(fixture("responses-request.json"), warnings);
    expect(request.model).toBe("gpt-4.1");
    expect(request.system).toEqual(["You are a weather assistant. Answer briefly.", "Use metric units."]);
    expect(request.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "What's the weather where this photo was taken?" },
          { type: "image", source: { kind: "url", url: "https://example.com/paris.jpg" } },
          { type: "image", source: { kind: "base64", mediaType: "image/png", data: "iVBORw0KGgo=" } },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "reasoning", text: "The photo shows the Eiffel Tower.", signature: "EqQBCkgIARABGAIiQL1" },
          { type: "text", text: "Let me check Paris." },
          {
            type: "tool-call",
            id: "call_8Jx2N5rQvW3kLp0aTzYb1cDe",
            name: "get_weather",
            arguments: '{"location":"Paris, France"}',
          },
        ],
      },
      {
        role: "user",
        content: [
          {
            type: "tool-result",
            toolCallId: "call_8Jx2N5rQvW3kLp0aTzYb1cDe",
            content: [{ type: "text", text: '{"temperature":18,"conditions":"cloudy"}' }],
            isError: false,
          },
        ],
      },
    ]);
    expect(request.tools).toEqual([
      {
        name: "get_weather",
        description: "Get the current weather for a location.",
        parameters: {
          type: "object",
          properties: { location: { type: "string" } },
          required: ["location"],
          additionalProperties: false,
        },
        strict: true,
      },
    ]);
    expect(request.toolChoice).toEqual({ type: "auto" });
    expect(request.parallelToolCalls).toBe(false);
    expect(request.responseFormat).toEqual({
      type: "json-schema",
      name: "weather",
      schema: {
        type: "object",
        properties: { summary: { type: "string" } },
        required: ["summary"],
        additionalProperties: false,
      },
      strict: true,
    });
    expect(request.maxTokens).toBe(500);
    expect(request.temperature).toBe(0.7);
    expect(request.topP).toBe(0.9);
    expect(request.reasoning).toEqual({ budgetTokens: undefined, effort: "low" });
    expect(request.user).toBe("user-1234");
    expect(request.stream).toBe(false);
    expect(warnings).toEqual([]);
  });

  it("reads a plain string input as one user message and warns about what it drops", () => {
    const warnings: string[] = [];
    const request = openAiResponsesCodec.readRequest(
      {
        model: "m",
        input: "Hello",
        stream: true,
        store: true,
        metadata: { a: "b" },
        text: { format: { type: "json_object" }, verbosity: "low" },
        tool_choice: { type: "function", name: "lookup" },
      },
      warnings,
    );
    expect(request.messages).toEqual([{ role: "user", content: [{ type: "text", text: "Hello" }] }]);
    expect(request.stream).toBe(true);
    expect(request.responseFormat).toEqual({ type: "json" });
    expect(request.toolChoice).toEqual({ type: "tool", name: "lookup" });
    expect(warnings).toEqual([
      "store is not honoured: a translated response is not stored",
      "text.verbosity is not translated; dropped",
      "metadata is not translated; dropped",
    ]);
  });

  it.each([
    [{ previous_response_id: "resp_1" }, "previous_response_id", "server-side state"],
    [{ conversation: "conv_1" }, "conversation", "server-side state"],
    [{ tools: [{ type: "web_search" }] }, "tools.0", "built-in tool web_search"],
    [
      { tools: [{ type: "file_search", vector_store_ids: ["vs_1"] }] },
      "tools.0",
      "built-in tool file_search",
    ],
    [{ input: [{ type: "item_reference", id: "msg_1" }] }, "input.0", "item_reference"],
    [{ input: [{ role: "user", content: [{ type: "input_file", file_id: "f" }] }] }, "input.0", "input_file"],
    [
      { input: [{ role: "user", content: [{ type: "input_image", file_id: "f" }] }] },
      "input.0.content.0",
      "file_id",
    ],
  ])("refuses %j with GW_ERR_TRANSLATION_UNSUPPORTED naming the feature", (extra, param, words) => {
    let thrown: unknown;
    try {
      openAiResponsesCodec.readRequest({ model: "m", input: "hi", ...extra }, []);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: "GW_ERR_TRANSLATION_UNSUPPORTED", status: 400, param });
    expect((thrown as Error).message).toContain(words);
  });
});

describe("writeResult (canonical → Response object)", () => {
  const result: CanonicalChatResult = {
    id: "msg_01XFDUDYJgAACzvnptvVoYEL",
    model: "claude-sonnet-4-5-20250929",
    content: [
      { type: "reasoning", text: "Two cities.", signature: "sig-1" },
      { type: "text", text: "I'll check " },
      { type: "text", text: "both." },
      { type: "tool-call", id: "toolu_01A", name: "get_weather", arguments: '{"location":"SF"}' },
    ],
    finishReason: { unified: "tool-calls", raw: "tool_use" },
    usage: {
      inputTokens: 2060,
      outputTokens: 12,
      cacheReadTokens: 2048,
      cacheWriteTokens: 0,
      reasoningTokens: null,
    },
  };

  it("writes reasoning, one message for adjacent text and function calls as output items, with usage", () => {
    const body = openAiResponsesCodec.writeResult(result) as unknown as Response;
    expect(body.id).toBe("resp_msg_01XFDUDYJgAACzvnptvVoYEL");
    expect(body.object).toBe("response");
    expect(body.status).toBe("completed");
    expect(body.incomplete_details).toBeNull();
    expect(body.model).toBe("claude-sonnet-4-5-20250929");
    expect(typeof body.created_at).toBe("number");
    expect(body.output).toEqual([
      {
        id: "rs_msg_01XFDUDYJgAACzvnptvVoYEL_0",
        type: "reasoning",
        summary: [],
        content: [{ type: "reasoning_text", text: "Two cities." }],
        encrypted_content: "sig-1",
        status: "completed",
      },
      {
        id: "msg_msg_01XFDUDYJgAACzvnptvVoYEL_1",
        type: "message",
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text: "I'll check both.", annotations: [], logprobs: [] }],
      },
      {
        id: "fc_msg_01XFDUDYJgAACzvnptvVoYEL_2",
        type: "function_call",
        call_id: "toolu_01A",
        name: "get_weather",
        arguments: '{"location":"SF"}',
        status: "completed",
      },
    ]);
    expect(body.usage).toEqual({
      input_tokens: 2060,
      input_tokens_details: { cached_tokens: 2048, cache_write_tokens: 0 },
      output_tokens: 12,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 2072,
    });
    expect(body).not.toHaveProperty("output_text");
    expect((body as unknown as { switchyard: unknown }).switchyard).toEqual({
      raw_finish_reason: "tool_use",
    });
  });

  it("marks a length stop as incomplete with max_output_tokens", () => {
    const body = openAiResponsesCodec.writeResult({
      ...result,
      content: [{ type: "text", text: "cut" }],
      finishReason: { unified: "length", raw: "max_tokens" },
    });
    expect(body.status).toBe("incomplete");
    expect(body.incomplete_details).toEqual({ reason: "max_output_tokens" });
  });

  it("writes errors as OpenAI error objects", () => {
    expect(
      openAiResponsesCodec.writeError({ status: 429, errorType: "rate_limit_error", message: "slow down" }),
    ).toEqual({ error: { message: "slow down", type: "rate_limit_error", param: null, code: null } });
  });
});

describe("createStreamEncoder (canonical parts → Responses events)", () => {
  it("turns an Anthropic text stream into numbered Responses events the SDK accumulates", () => {
    const events = translatedEvents(wireFixture("anthropic", "message-text.chunks.txt"));
    expect(events.map((event) => event.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      ...events
        .filter((event) => event.type === "response.output_text.delta")
        .map(() => "response.output_text.delta"),
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_event, index) => index));
    const final = accumulate(events);
    const completed = events.at(-1)?.response as Response;
    expect(completed.status).toBe("completed");
    expect(completed.id).toBe("resp_msg_01XFDUDYJgAACzvnptvVoYEL");
    expect(completed.usage?.input_tokens).toBeGreaterThan(0);
    expect(final.output).toEqual(completed.output);
    const texts = events
      .filter((event) => event.type === "response.output_text.delta")
      .map((event) => event.delta)
      .join("");
    expect(completed.output[0]).toMatchObject({
      type: "message",
      content: [{ type: "output_text", text: texts }],
    });
  });

  it("turns streamed tool calls into function_call items with argument deltas", () => {
    const events = translatedEvents(wireFixture("anthropic", "message-tool-use.chunks.txt"));
    const completed = events.at(-1)?.response as Response;
    const calls = completed.output.filter((item) => item.type === "function_call");
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      const deltas = events
        .filter(
          (event) => event.type === "response.function_call_arguments.delta" && event.item_id === call.id,
        )
        .map((event) => event.delta)
        .join("");
      expect(deltas).toBe(call.arguments);
      expect(call.call_id).toMatch(/^toolu_/);
      expect(events).toContainEqual(
        expect.objectContaining({
          type: "response.function_call_arguments.done",
          item_id: call.id,
          arguments: call.arguments,
          name: call.name,
        }),
      );
    }
    expect(accumulate(events).output).toEqual(completed.output);
  });

  it("turns interleaved OpenAI chat tool-call chunks into whole function_call items", () => {
    const chunks = readFileSync(
      new URL("../openai/__fixtures__/chat-tool-calls.chunks.txt", import.meta.url),
      "utf8",
    );
    const events = translatedEvents(chunks, openAiChatCodec);
    const completed = events.at(-1)?.response as Response;
    const calls = completed.output.filter((item) => item.type === "function_call");
    expect(calls.length).toBeGreaterThan(1);
    for (const call of calls) expect(() => JSON.parse(call.arguments)).not.toThrow();
    expect(accumulate(events).output).toEqual(completed.output);
  });

  it("ends a stream that reported an error with an error event, never response.completed", () => {
    const events = translatedEvents(wireFixture("anthropic", "error-mid-stream.chunks.txt"));
    const last = events.at(-1);
    expect(last).toMatchObject({ type: "error", code: "overloaded_error", param: null });
    expect(events.some((event) => event.type === "response.completed")).toBe(false);
  });

  it("writes reasoning deltas as a reasoning item with reasoning_text", () => {
    const encoder = openAiResponsesCodec.createStreamEncoder();
    const text = [
      encoder.encode({ type: "response-start", id: "abc", model: "m" }),
      encoder.encode({ type: "reasoning-delta", text: "Think" }),
      encoder.encode({ type: "reasoning-signature", signature: "sig" }),
      encoder.encode({ type: "text-delta", text: "Answer" }),
      encoder.encode({ type: "finish", finishReason: { unified: "length", raw: "max_tokens" } }),
      encoder.encode({ type: "end" }),
    ].join("");
    const events = sseEvents(text).map(([, data]) => data as Record<string, unknown>);
    expect(events.map((event) => event.type)).toContain("response.reasoning_text.delta");
    const last = events.at(-1) as { type: string; response: Response };
    expect(last.type).toBe("response.incomplete");
    expect(last.response.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(last.response.output).toEqual([
      {
        id: "rs_abc_0",
        type: "reasoning",
        summary: [],
        content: [{ type: "reasoning_text", text: "Think" }],
        encrypted_content: "sig",
        status: "completed",
      },
      {
        id: "msg_abc_1",
        type: "message",
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text: "Answer", annotations: [], logprobs: [] }],
      },
    ]);
    expect(accumulate(events).output).toEqual(last.response.output);
  });
});
