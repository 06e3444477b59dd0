import { describe, expect, it } from "vitest";
import { anthropicCodec } from "../anthropic/anthropic-codec.js";
import { openAiChatCodec } from "../openai/openai-chat-codec.js";
import { readBedrockError, readBedrockResult } from "./bedrock-response.js";
import { bedrockJson, type RecordedError } from "./test-fixtures.js";

const answerFields = { requestId: "6f2c1a8e-4d1b-4f0a-9c2e-7b3d5e8f9a01", modelId: "amazon.nova-pro-v1:0" };

describe("Bedrock Converse response → canonical", () => {
  it("reads text, the stop reason and usage with cache reads added into the input count", () => {
    const result = readBedrockResult({ ...bedrockJson("converse-text.json"), ...answerFields });
    expect(result).toEqual({
      id: answerFields.requestId,
      model: "amazon.nova-pro-v1:0",
      content: [{ type: "text", text: "Hello! How can I help you today?" }],
      finishReason: { unified: "stop", raw: "end_turn", stopSequence: null },
      usage: {
        inputTokens: 2060,
        outputTokens: 12,
        cacheReadTokens: 2048,
        cacheWriteTokens: 0,
        reasoningTokens: null,
      },
    });
    const openAi = openAiChatCodec.writeResult(result);
    expect(openAi).toMatchObject({
      id: `chatcmpl-${answerFields.requestId}`,
      choices: [
        {
          message: { role: "assistant", content: "Hello! How can I help you today?" },
          finish_reason: "stop",
        },
      ],
      usage: {
        prompt_tokens: 2060,
        completion_tokens: 12,
        total_tokens: 2072,
        prompt_tokens_details: { cached_tokens: 2048 },
      },
    });
  });

  it("reads parallel tool calls with their ids and cache writes", () => {
    const result = readBedrockResult(bedrockJson("converse-tool-use.json"));
    expect(result.content).toEqual([
      { type: "text", text: "I'll check the weather in both cities." },
      {
        type: "tool-call",
        id: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
        name: "get_weather",
        arguments: '{"location":"San Francisco, CA"}',
      },
      {
        type: "tool-call",
        id: "tooluse_0Xr3mPq9TZuX1wH7cVbN2A",
        name: "get_weather",
        arguments: '{"location":"Paris, France"}',
      },
    ]);
    expect(result.finishReason).toEqual({ unified: "tool-calls", raw: "tool_use", stopSequence: null });
    expect(result.usage).toEqual({
      inputTokens: 1404,
      outputTokens: 96,
      cacheReadTokens: 0,
      cacheWriteTokens: 1024,
      reasoningTokens: null,
    });
    const anthropic = anthropicCodec.writeResult(result);
    expect(anthropic).toMatchObject({
      stop_reason: "tool_use",
      usage: {
        input_tokens: 380,
        cache_creation_input_tokens: 1024,
        cache_read_input_tokens: 0,
        output_tokens: 96,
      },
    });
  });

  it("reads reasoning text with its signature and redacted reasoning; usage without cache fields", () => {
    const result = readBedrockResult(bedrockJson("converse-reasoning.json"));
    expect(result.content).toEqual([
      {
        type: "reasoning",
        text: "The user asks for 27 * 453. 27 * 453 = 12231.",
        signature: "EqoBCkgIAxABGAIiQJ2f0hK7mUq1sYzq8Vw6bYp0Jr3CqXz+Zk1mTt9m0Qd5yJvS0a0Lw==",
      },
      { type: "redacted-reasoning", data: "RXJ5dGhpbmcgaXMgZW5jcnlwdGVkIGhlcmU=" },
      { type: "text", text: "27 × 453 = 12,231." },
    ]);
    expect(result.usage).toEqual({
      inputTokens: 48,
      outputTokens: 210,
      cacheReadTokens: null,
      cacheWriteTokens: null,
      reasoningTokens: null,
    });
  });

  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["tool_use", "tool-calls"],
    ["max_tokens", "length"],
    ["model_context_window_exceeded", "length"],
    ["guardrail_intervened", "content-filter"],
    ["content_filtered", "content-filter"],
    ["something_new", "other"],
  ])("maps stopReason %s to %s, keeping the raw value", (raw, unified) => {
    const result = readBedrockResult({ ...bedrockJson("converse-text.json"), stopReason: raw });
    expect(result.finishReason).toEqual({ unified, raw, stopSequence: null });
  });

  it("keeps the matched stop sequence and the guardrail's stop reason through to the clients", () => {
    const stopped = readBedrockResult(bedrockJson("converse-stop-sequence.json"));
    expect(stopped.finishReason).toEqual({ unified: "stop", raw: "stop_sequence", stopSequence: "###" });
    expect(anthropicCodec.writeResult(stopped)).toMatchObject({
      stop_reason: "stop_sequence",
      stop_sequence: "###",
    });
    const guarded = readBedrockResult(bedrockJson("converse-guardrail.json"));
    expect(openAiChatCodec.writeResult(guarded)).toMatchObject({
      choices: [{ finish_reason: "content_filter" }],
    });
  });

  it("leaves usage unknown (null, never zero) when the answer has none", () => {
    const { usage: _usage, ...withoutUsage } = bedrockJson("converse-text.json");
    expect(readBedrockResult(withoutUsage).usage).toEqual({
      inputTokens: null,
      outputTokens: null,
      cacheReadTokens: null,
      cacheWriteTokens: null,
      reasoningTokens: null,
    });
  });
});

describe("Bedrock errors → canonical", () => {
  it.each([
    ["error-400-validation.json", "invalid_request_error", "The provided model identifier is invalid."],
    ["error-429-throttling.json", "rate_limit_error", "Too many requests, please wait before trying again."],
    [
      "error-403-access-denied.json",
      "permission_error",
      "You don't have access to the model with the specified model ID.",
    ],
  ])(
    "%s keeps the status and message and maps the exception named in x-amzn-errortype",
    (name, type, message) => {
      const recorded = bedrockJson<RecordedError>(name);
      const body = { ...recorded.body, __type: recorded.headers["x-amzn-errortype"] };
      expect(readBedrockError(recorded.status, body)).toEqual({
        status: recorded.status,
        errorType: type,
        message,
      });
    },
  );

  it("falls back to the status when the exception is unknown or the body is not JSON", () => {
    expect(
      readBedrockError(503, { message: "busy", __type: "com.amazon.bedrock#SomethingNewException" }),
    ).toEqual({
      status: 503,
      errorType: "api_error",
      message: "busy",
    });
    expect(readBedrockError(500, undefined)).toEqual({
      status: 500,
      errorType: "api_error",
      message: "HTTP 500",
    });
    expect(readBedrockError(408, { message: "slow", __type: "ModelTimeoutException" }).errorType).toBe(
      "timeout_error",
    );
  });
});
