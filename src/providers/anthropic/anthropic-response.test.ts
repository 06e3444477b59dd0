import { describe, expect, it } from "vitest";
import { openAiChatCodec } from "../openai/openai-chat-codec.js";
import { anthropicCodec } from "./anthropic-codec.js";
import { jsonFixture } from "./test-fixtures.js";

describe("Anthropic message → OpenAI chat completion", () => {
  it("maps thinking, text, parallel tool calls, the stop reason (raw kept) and cache-write usage", () => {
    const result = anthropicCodec.readResult(jsonFixture("anthropic", "message-tool-use.json"));
    const body = openAiChatCodec.writeResult(result);
    expect(body).toMatchObject({
      id: "chatcmpl-msg_01Aq9w938a90dw8q",
      object: "chat.completion",
      model: "claude-sonnet-4-5-20250929",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: "I'll check both cities.",
            reasoning_content:
              "The user wants the weather in two cities. I should call get_weather for each.",
            tool_calls: [
              {
                id: "toolu_01A09q90qw90lq917835lq9",
                type: "function",
                function: {
                  name: "get_weather",
                  arguments: '{"location":"San Francisco, CA","unit":"celsius"}',
                },
              },
              {
                id: "toolu_01B19r01rx01mr028946mr0",
                type: "function",
                function: { name: "get_weather", arguments: '{"location":"Paris, France","unit":"celsius"}' },
              },
            ],
          },
          finish_reason: "tool_calls",
        },
      ],
      usage: {
        prompt_tokens: 1972,
        completion_tokens: 138,
        total_tokens: 2110,
        prompt_tokens_details: { cached_tokens: 0, cache_creation_tokens: 1500 },
      },
      switchyard: { raw_finish_reason: "tool_use" },
    });
    expect(typeof body.created).toBe("number");
  });

  it("counts cache reads inside prompt_tokens and as cached_tokens", () => {
    const result = anthropicCodec.readResult(jsonFixture("anthropic", "message-text.json"));
    expect(result.usage).toEqual({
      inputTokens: 2060,
      outputTokens: 12,
      cacheReadTokens: 2048,
      cacheWriteTokens: 0,
      reasoningTokens: null,
    });
    expect(openAiChatCodec.writeResult(result)).toMatchObject({
      choices: [{ message: { content: "Hello! How can I help you today?" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 2060, completion_tokens: 12, prompt_tokens_details: { cached_tokens: 2048 } },
    });
  });
});

describe("OpenAI chat completion → Anthropic message", () => {
  it("splits prompt_tokens into uncached input and cache reads, and maps the finish reason", () => {
    const result = openAiChatCodec.readResult(
      jsonFixture("openai", "../../../../test/__fixtures__/openai/chat-completion.json"),
    );
    expect(anthropicCodec.writeResult(result)).toEqual({
      id: "msg_chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
      type: "message",
      role: "assistant",
      model: "gpt-4o-2024-08-06",
      content: [
        {
          type: "text",
          text: "The image shows a wooden boardwalk path running through a lush green field or meadow.",
        },
      ],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: {
        input_tokens: 93,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 1024,
        output_tokens: 46,
      },
      switchyard: { raw_finish_reason: "stop" },
    });
  });

  it("turns tool calls into tool_use blocks with parsed input, and round-trips an Anthropic message", () => {
    const original = jsonFixture("anthropic", "message-tool-use.json");
    const viaOpenAi = openAiChatCodec.readResult(
      openAiChatCodec.writeResult(anthropicCodec.readResult(original)),
    );
    const back = anthropicCodec.writeResult(viaOpenAi);
    expect(back.stop_reason).toBe("tool_use");
    expect(back.content).toEqual([
      {
        type: "thinking",
        thinking: "The user wants the weather in two cities. I should call get_weather for each.",
        signature: "",
      },
      { type: "text", text: "I'll check both cities." },
      {
        type: "tool_use",
        id: "toolu_01A09q90qw90lq917835lq9",
        name: "get_weather",
        input: { location: "San Francisco, CA", unit: "celsius" },
      },
      {
        type: "tool_use",
        id: "toolu_01B19r01rx01mr028946mr0",
        name: "get_weather",
        input: { location: "Paris, France", unit: "celsius" },
      },
    ]);
    expect(back.usage).toEqual({
      input_tokens: 1972,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: 138,
    });
  });
});

describe("errors", () => {
  it("maps Anthropic's 529 overloaded and 429 errors to OpenAI error objects, message preserved", () => {
    const overloaded = anthropicCodec.readError(529, jsonFixture("anthropic", "error-529-overloaded.json"));
    expect(openAiChatCodec.writeError(overloaded)).toEqual({
      error: { message: "Overloaded", type: "overloaded_error", param: null, code: null },
    });
    const limited = anthropicCodec.readError(429, jsonFixture("anthropic", "error-429-rate-limit.json"));
    expect(limited.errorType).toBe("rate_limit_error");
    expect(limited.message).toMatch(/^This request would exceed the rate limit/);
  });

  it("maps OpenAI errors to Anthropic error objects by type and status", () => {
    const fromOpenAi = openAiChatCodec.readError(429, {
      error: {
        message: "Rate limit reached for gpt-4o",
        type: "requests",
        param: null,
        code: "rate_limit_exceeded",
      },
    });
    expect(anthropicCodec.writeError(fromOpenAi)).toEqual({
      type: "error",
      error: { type: "rate_limit_error", message: "Rate limit reached for gpt-4o" },
    });
    expect(anthropicCodec.readError(500, "upstream exploded")).toEqual({
      status: 500,
      errorType: "api_error",
      message: "HTTP 500",
    });
  });
});
