import { describe, expect, it } from "vitest";
import { anthropicCodec } from "../anthropic/anthropic-codec.js";
import { openAiChatCodec } from "../openai/openai-chat-codec.js";
import { createOpenAiChatStreamDecoder } from "../openai/openai-chat-stream.js";
import { createStreamTranslator } from "../stream-translator.js";
import { azureFixture, sseData } from "./azure-fixtures.js";

/** Decodes a recorded Azure stream into canonical parts. */
function decode(name: string) {
  const decoder = createOpenAiChatStreamDecoder();
  return sseData(azureFixture(name)).flatMap((data) =>
    decoder.decode(undefined, typeof data === "string" ? data : JSON.stringify(data)),
  );
}

/** Translates a recorded Azure stream into Anthropic SSE frames, as `[event, data]`. */
function toAnthropic(name: string, pieceSize: number): [string, Record<string, unknown>][] {
  const translator = createStreamTranslator(openAiChatCodec, anthropicCodec);
  const raw = azureFixture(name);
  let output = "";
  for (let offset = 0; offset < raw.length; offset += pieceSize)
    output += translator.feed(raw.slice(offset, offset + pieceSize));
  return output
    .split("\n\n")
    .filter((frame) => frame !== "")
    .map((frame) => {
      const [eventLine, dataLine] = frame.split("\n");
      return [eventLine?.slice("event: ".length) ?? "", JSON.parse(dataLine?.slice("data: ".length) ?? "")];
    });
}

describe("Azure OpenAI chat streams (OpenAI decoder)", () => {
  it("ignores the prompt_filter_results chunk: the response starts with the real id and model", () => {
    const parts = decode("chat-completion.chunks.txt");
    expect(parts[0]).toEqual({
      type: "response-start",
      id: "chatcmpl-AYGk4bQ3xXw2mJp9sLr7tVnK1qZcD",
      model: "gpt-4o-2024-08-06",
    });
    expect(parts.filter((part) => part.type === "response-start")).toHaveLength(1);
    expect(
      parts
        .filter((part) => part.type === "text-delta")
        .map((part) => part.text)
        .join(""),
    ).toBe("Hello from Azure!");
    expect(parts.slice(-3)).toEqual([
      { type: "finish", finishReason: { unified: "stop", raw: "stop" } },
      {
        type: "usage",
        usage: {
          inputTokens: 1203,
          outputTokens: 4,
          cacheReadTokens: 1024,
          cacheWriteTokens: null,
          reasoningTokens: 0,
        },
      },
      { type: "end" },
    ]);
  });

  it("reads finish_reason content_filter as a content-filter finish, keeping the raw value", () => {
    const finish = decode("content-filter-finish.chunks.txt").find((part) => part.type === "finish");
    expect(finish).toEqual({
      type: "finish",
      finishReason: { unified: "content-filter", raw: "content_filter" },
    });
  });

  it("turns an error object inside the 200 stream into a canonical error part", () => {
    const parts = decode("error-in-stream.chunks.txt");
    expect(parts).toContainEqual({
      type: "error",
      errorType: "api_error",
      message: "The server had an error while processing your request. Sorry about that!",
    });
  });
});

describe("errors inside a 200 stream", () => {
  it("take their Anthropic type from the OpenAI type, else from Azure's numeric code", () => {
    const decode = (error: Record<string, unknown>) =>
      createOpenAiChatStreamDecoder().decode(undefined, JSON.stringify({ error }));
    expect(decode({ code: "429", message: "Rate limit is exceeded." })).toEqual([
      { type: "error", errorType: "rate_limit_error", message: "Rate limit is exceeded." },
    ]);
    expect(decode({ message: "overloaded", type: "server_error" })).toEqual([
      { type: "error", errorType: "api_error", message: "overloaded" },
    ]);
    expect(decode({ code: "content_filter", message: "filtered", type: "invalid_request_error" })).toEqual([
      { type: "error", errorType: "invalid_request_error", message: "filtered" },
    ]);
  });
});

describe("Azure OpenAI streams → Anthropic client", () => {
  it.each([1, 17, 100_000])("translates a whole stream (%i-byte pieces)", (size) => {
    const frames = toAnthropic("chat-completion.chunks.txt", size);
    expect(frames.map(([event]) => event)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(frames[0]?.[1]).toMatchObject({
      message: { id: "msg_chatcmpl-AYGk4bQ3xXw2mJp9sLr7tVnK1qZcD", model: "gpt-4o-2024-08-06" },
    });
    expect(frames.at(-2)?.[1]).toMatchObject({
      delta: { stop_reason: "end_turn" },
      usage: { input_tokens: 179, cache_read_input_tokens: 1024, output_tokens: 4 },
    });
  });

  it("maps a content_filter finish to stop_reason refusal", () => {
    const frames = toAnthropic("content-filter-finish.chunks.txt", 64);
    const delta = frames.find(([event]) => event === "message_delta");
    expect(delta?.[1]).toMatchObject({
      delta: { stop_reason: "refusal" },
      switchyard: { raw_finish_reason: "content_filter" },
    });
  });

  it("ends with event: error and nothing after it, although Azure sent [DONE]", () => {
    const frames = toAnthropic("error-in-stream.chunks.txt", 23);
    expect(frames.at(-1)).toEqual([
      "error",
      {
        type: "error",
        error: {
          type: "api_error",
          message: "The server had an error while processing your request. Sorry about that!",
        },
      },
    ]);
    expect(frames.map(([event]) => event)).not.toContain("message_stop");
  });
});

describe("Azure OpenAI error bodies", () => {
  it("keeps status and message of a 429 and of a content_filter 400 for Anthropic clients", () => {
    const rateLimited = openAiChatCodec.readError(429, JSON.parse(azureFixture("error-429-rate-limit.json")));
    expect(anthropicCodec.writeError(rateLimited)).toEqual({
      type: "error",
      error: {
        type: "rate_limit_error",
        message: expect.stringContaining(
          "have exceeded token rate limit of your current OpenAI S0 pricing tier",
        ),
      },
    });
    const filtered = openAiChatCodec.readError(
      400,
      JSON.parse(azureFixture("error-400-content-filter.json")),
    );
    expect(filtered).toEqual({
      status: 400,
      errorType: "invalid_request_error",
      message: expect.stringMatching(/^The response was filtered due to the prompt triggering Azure OpenAI/),
    });
  });
});

describe("Azure OpenAI non-streamed answers", () => {
  it("reads the answer beside prompt_filter_results and content_filter_results", () => {
    const result = openAiChatCodec.readResult(JSON.parse(azureFixture("chat-completion.json")));
    expect(result).toMatchObject({
      id: "chatcmpl-AYGk4bQ3xXw2mJp9sLr7tVnK1qZcD",
      model: "gpt-4o-2024-08-06",
      content: [{ type: "text", text: "Hello from Azure! How can I help you today?" }],
      finishReason: { unified: "stop", raw: "stop" },
      usage: { inputTokens: 1203, outputTokens: 12, cacheReadTokens: 1024 },
    });
  });
});
