import { describe, expect, it } from "vitest";
import type { CanonicalStreamPart } from "../../core/canonical-stream.js";
import { anthropicCodec } from "../anthropic/anthropic-codec.js";
import { sseEvents } from "../anthropic/test-fixtures.js";
import { openAiChatCodec } from "../openai/openai-chat-codec.js";
import { createStreamTranslator } from "../stream-translator.js";
import { geminiCodec } from "./gemini-codec.js";
import { createGeminiStreamDecoder } from "./gemini-stream.js";
import { geminiFixture, sseData } from "./test-fixtures.js";

function decodeAll(name: string): CanonicalStreamPart[] {
  const decoder = createGeminiStreamDecoder();
  return sseData(geminiFixture(name)).flatMap((data) => decoder.decode(undefined, data));
}

describe("createGeminiStreamDecoder", () => {
  it("decodes a text stream: start, deltas, usage and finish from the last chunk, then end", () => {
    expect(decodeAll("stream-text.chunks.txt")).toEqual([
      { type: "response-start", id: "BDwpafPKM_HjnsEPq6_RgQg", model: "gemini-2.5-flash" },
      { type: "text-delta", text: "Hello!" },
      { type: "text-delta", text: " How can I help" },
      { type: "text-delta", text: " you today?" },
      {
        type: "usage",
        usage: {
          inputTokens: 8,
          outputTokens: 30,
          cacheReadTokens: 0,
          cacheWriteTokens: null,
          reasoningTokens: 21,
        },
      },
      { type: "finish", finishReason: { unified: "stop", raw: "STOP", stopSequence: null } },
      { type: "end" },
    ]);
  });

  it("decodes whole function calls into start + one arguments delta, with ids a buffered read would give", () => {
    expect(decodeAll("stream-function-calls.chunks.txt")).toEqual([
      { type: "response-start", id: "WD0paa7YD8PnnsEP3tTv6Qw", model: "gemini-2.5-flash" },
      { type: "reasoning-delta", text: "" },
      {
        type: "reasoning-signature",
        signature: "CiQB0e2Kb2m7Xk1yq0S8h3k4bXcV0r3ZzqL3lYcQm8nq0a5yXtsKZQHR7Ypv",
      },
      { type: "tool-call-start", toolIndex: 0, id: "call_WD0paa7YD8PnnsEP3tTv6Qw_0", name: "get_weather" },
      { type: "tool-call-delta", toolIndex: 0, argumentsDelta: '{"location":"San Francisco, CA"}' },
      { type: "tool-call-start", toolIndex: 1, id: "call_WD0paa7YD8PnnsEP3tTv6Qw_1", name: "get_weather" },
      { type: "tool-call-delta", toolIndex: 1, argumentsDelta: '{"location":"Paris, France"}' },
      {
        type: "usage",
        usage: {
          inputTokens: 71,
          outputTokens: 118,
          cacheReadTokens: 0,
          cacheWriteTokens: null,
          reasoningTokens: 80,
        },
      },
      { type: "finish", finishReason: { unified: "tool-calls", raw: "STOP", stopSequence: null } },
      { type: "end" },
    ]);
  });

  it("decodes thought parts as reasoning deltas and takes the last chunk's cached count", () => {
    const parts = decodeAll("stream-thinking.chunks.txt");
    expect(parts.slice(1, 3)).toEqual([
      { type: "reasoning-delta", text: "**Adding the numbers**\n\nI need to add 2 and 2.\n" },
      { type: "text-delta", text: "2 + 2 = 4." },
    ]);
    expect(parts).toContainEqual({
      type: "usage",
      usage: {
        inputTokens: 2060,
        outputTokens: 48,
        cacheReadTokens: 2048,
        cacheWriteTokens: null,
        reasoningTokens: 40,
      },
    });
  });

  it("never ends a stream cut before its finishing chunk", () => {
    const parts = decodeAll("stream-cut.chunks.txt");
    expect(parts.map((part) => part.type)).toEqual(["response-start", "text-delta", "text-delta"]);
  });

  it("reads an error object inside the stream as an error part", () => {
    const decoder = createGeminiStreamDecoder();
    expect(
      decoder.decode(
        undefined,
        '{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}',
      ),
    ).toEqual([{ type: "error", errorType: "overloaded_error", message: "The model is overloaded." }]);
  });
});

describe("Gemini stream → client dialects", () => {
  it("becomes OpenAI chunks with tool calls per index, finish_reason tool_calls, usage and [DONE]", () => {
    const translator = createStreamTranslator(geminiCodec, openAiChatCodec);
    const raw = geminiFixture("stream-function-calls.chunks.txt");
    // Split mid-event, as TCP may deliver it.
    const output = translator.feed(raw.slice(0, 100)) + translator.feed(raw.slice(100));
    const events = sseEvents(output).map(([, data]) => data);
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1) as {
      choices: { delta: Record<string, unknown>; finish_reason: string | null }[];
      usage?: Record<string, unknown> | null;
    }[];
    const toolCalls = chunks.flatMap(
      (chunk) => (chunk.choices[0]?.delta.tool_calls as unknown[] | undefined) ?? [],
    );
    expect(toolCalls).toEqual([
      {
        index: 0,
        id: "call_WD0paa7YD8PnnsEP3tTv6Qw_0",
        type: "function",
        function: { name: "get_weather", arguments: "" },
      },
      { index: 0, function: { arguments: '{"location":"San Francisco, CA"}' } },
      {
        index: 1,
        id: "call_WD0paa7YD8PnnsEP3tTv6Qw_1",
        type: "function",
        function: { name: "get_weather", arguments: "" },
      },
      { index: 1, function: { arguments: '{"location":"Paris, France"}' } },
    ]);
    expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason).filter(Boolean)).toEqual(["tool_calls"]);
    expect(chunks.at(-1)?.usage).toMatchObject({
      prompt_tokens: 71,
      completion_tokens: 118,
      total_tokens: 189,
    });
  });

  it("becomes Anthropic events with a thinking block, text and message_delta usage", () => {
    const translator = createStreamTranslator(geminiCodec, anthropicCodec);
    const events = sseEvents(translator.feed(geminiFixture("stream-thinking.chunks.txt")));
    expect(events.map(([name]) => name)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(events[2]?.[1]).toMatchObject({ delta: { type: "thinking_delta" } });
    expect(events[7]?.[1]).toMatchObject({
      delta: { stop_reason: "end_turn" },
      usage: { input_tokens: 12, cache_read_input_tokens: 2048, output_tokens: 48 },
      switchyard: { raw_finish_reason: "STOP" },
    });
  });

  it("estimates usage for a stream without usageMetadata", () => {
    const translator = createStreamTranslator(geminiCodec, openAiChatCodec, () => ({
      inputTokens: 5,
      outputTokens: 3,
      cacheReadTokens: null,
      cacheWriteTokens: null,
      reasoningTokens: null,
    }));
    const output = translator.feed(
      'data: {"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"finishReason":"STOP","index":0}],"modelVersion":"gemini-2.0-flash","responseId":"x"}\r\n\r\n',
    );
    const chunks = sseEvents(output).map(([, data]) => data) as { usage?: unknown }[];
    expect(chunks.at(-2)?.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 3 });
  });
});
