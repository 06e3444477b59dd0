import { describe, expect, it } from "vitest";
import { openAiChatCodec } from "../openai/openai-chat-codec.js";
import { geminiRetryDelayMs, readGeminiError, readGeminiResult } from "./gemini-response.js";
import { readGeminiUsage } from "./gemini-usage.js";
import { readGeminiFinishReason } from "./map-gemini-finish-reason.js";
import { geminiJsonFixture } from "./test-fixtures.js";

describe("readGeminiResult", () => {
  it("reads a text answer with cached and thinking tokens", () => {
    expect(readGeminiResult(geminiJsonFixture("response-text.json"))).toEqual({
      id: "TjMpaYXSBLbjnsEP6aWq0Qo",
      model: "gemini-2.5-flash",
      content: [{ type: "text", text: "Hello! How can I help you today?" }],
      finishReason: { unified: "stop", raw: "STOP", stopSequence: null },
      usage: {
        inputTokens: 2071,
        outputTokens: 33,
        cacheReadTokens: 2048,
        cacheWriteTokens: null,
        reasoningTokens: 24,
      },
    });
  });

  it("synthesises ids for parallel function calls and reads STOP after calls as tool-calls", () => {
    const result = readGeminiResult(geminiJsonFixture("response-function-calls.json"));
    expect(result.content).toEqual([
      {
        type: "reasoning",
        text: "",
        signature: "CiQB0e2Kb7VqkBqj3rXQyQ1mJmP4cN8ZzqM1m0gZV9o2fOQhV0sKYgHR7Ypv",
      },
      {
        type: "tool-call",
        id: "call_aDUpaZ-YF8n0nsEPl_mJ-Q4_0",
        name: "get_weather",
        arguments: '{"location":"San Francisco, CA"}',
      },
      {
        type: "tool-call",
        id: "call_aDUpaZ-YF8n0nsEPl_mJ-Q4_1",
        name: "get_weather",
        arguments: '{"location":"Paris, France"}',
      },
    ]);
    expect(result.finishReason).toEqual({ unified: "tool-calls", raw: "STOP", stopSequence: null });
    expect(result.usage).toMatchObject({ inputTokens: 71, outputTokens: 116, reasoningTokens: 78 });
  });

  it("keeps a function call's own id when Gemini sends one", () => {
    const result = readGeminiResult({
      responseId: "r1",
      candidates: [
        {
          content: { role: "model", parts: [{ functionCall: { id: "fc-9", name: "f", args: {} } }] },
          finishReason: "STOP",
        },
      ],
    });
    expect(result.content).toEqual([{ type: "tool-call", id: "fc-9", name: "f", arguments: "{}" }]);
  });

  it("reads thought parts as reasoning and MAX_TOKENS as length", () => {
    const result = readGeminiResult(geminiJsonFixture("response-thinking.json"));
    expect(result.content).toEqual([
      {
        type: "reasoning",
        text: "**Adding the numbers**\n\nI need to add 2 and 2, which gives 4.\n",
        signature: undefined,
      },
      { type: "text", text: "2 + 2 = 4." },
    ]);
    expect(result.finishReason).toEqual({ unified: "length", raw: "MAX_TOKENS", stopSequence: null });
    expect(result.usage).toEqual({
      inputTokens: 12,
      outputTokens: 120,
      cacheReadTokens: 0,
      cacheWriteTokens: null,
      reasoningTokens: 112,
    });
  });

  it("reads a blocked prompt as content-filter with the block reason, and a malformed call as error", () => {
    const blocked = readGeminiResult(geminiJsonFixture("response-prompt-blocked.json"));
    expect(blocked.content).toEqual([]);
    expect(blocked.finishReason).toEqual({
      unified: "content-filter",
      raw: "PROHIBITED_CONTENT",
      stopSequence: null,
    });
    expect(blocked.usage).toMatchObject({ inputTokens: 17, outputTokens: 0 });
    const malformed = readGeminiResult(geminiJsonFixture("response-malformed-function-call.json"));
    expect(malformed.finishReason).toEqual({
      unified: "error",
      raw: "MALFORMED_FUNCTION_CALL",
      stopSequence: null,
    });
  });

  it("reaches an OpenAI caller with tool calls, finish reason and usage details", () => {
    const written = openAiChatCodec.writeResult(
      readGeminiResult(geminiJsonFixture("response-function-calls.json")),
    );
    expect(written).toMatchObject({
      id: "chatcmpl-aDUpaZ-YF8n0nsEPl_mJ-Q4",
      choices: [
        {
          finish_reason: "tool_calls",
          message: {
            tool_calls: [
              { id: "call_aDUpaZ-YF8n0nsEPl_mJ-Q4_0", function: { name: "get_weather" } },
              { id: "call_aDUpaZ-YF8n0nsEPl_mJ-Q4_1", function: { name: "get_weather" } },
            ],
          },
        },
      ],
      usage: {
        prompt_tokens: 71,
        completion_tokens: 116,
        completion_tokens_details: { reasoning_tokens: 78 },
      },
    });
  });
});

describe("readGeminiFinishReason", () => {
  it.each([
    ["STOP", "stop"],
    ["MAX_TOKENS", "length"],
    ["SAFETY", "content-filter"],
    ["RECITATION", "content-filter"],
    ["BLOCKLIST", "content-filter"],
    ["PROHIBITED_CONTENT", "content-filter"],
    ["SPII", "content-filter"],
    ["IMAGE_SAFETY", "content-filter"],
    ["MALFORMED_FUNCTION_CALL", "error"],
    ["UNEXPECTED_TOOL_CALL", "error"],
    ["LANGUAGE", "other"],
    ["OTHER", "other"],
    ["FINISH_REASON_UNSPECIFIED", "other"],
  ])("%s → %s, keeping the raw value", (raw, unified) => {
    expect(readGeminiFinishReason(raw, false)).toEqual({ unified, raw, stopSequence: null });
  });

  it("has no raw value when Gemini sent none", () => {
    expect(readGeminiFinishReason(undefined, false)).toEqual({
      unified: "other",
      raw: null,
      stopSequence: null,
    });
  });
});

describe("readGeminiUsage", () => {
  it("is null everywhere without usageMetadata, never zero", () => {
    expect(readGeminiUsage(undefined)).toEqual({
      inputTokens: null,
      outputTokens: null,
      cacheReadTokens: null,
      cacheWriteTokens: null,
      reasoningTokens: null,
    });
  });
});

describe("geminiRetryDelayMs", () => {
  it("reads RetryInfo's retryDelay from a 429, and nothing from other errors", () => {
    expect(geminiRetryDelayMs(geminiJsonFixture("error-429-resource-exhausted.json"))).toBe(21_000);
    expect(
      geminiRetryDelayMs({
        error: { details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "0.5s" }] },
      }),
    ).toBe(500);
    expect(geminiRetryDelayMs(geminiJsonFixture("error-400-api-key-invalid.json"))).toBeUndefined();
    expect(geminiRetryDelayMs("not json")).toBeUndefined();
  });
});

describe("readGeminiError", () => {
  it("maps RESOURCE_EXHAUSTED, INVALID_ARGUMENT and UNAVAILABLE keeping status and message", () => {
    expect(readGeminiError(429, geminiJsonFixture("error-429-resource-exhausted.json"))).toEqual({
      status: 429,
      errorType: "rate_limit_error",
      message:
        "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
    });
    expect(readGeminiError(400, geminiJsonFixture("error-400-api-key-invalid.json"))).toEqual({
      status: 400,
      errorType: "invalid_request_error",
      message: "API key not valid. Please pass a valid API key.",
    });
    expect(readGeminiError(503, geminiJsonFixture("error-503-unavailable.json"))).toEqual({
      status: 503,
      errorType: "overloaded_error",
      message: "The model is overloaded. Please try again later.",
    });
  });

  it("reads the array-wrapped error of a streaming call and falls back on the status for other bodies", () => {
    expect(readGeminiError(400, [geminiJsonFixture("error-400-invalid-argument.json")])).toMatchObject({
      message: "* GenerateContentRequest.contents: contents is not specified\n",
    });
    expect(readGeminiError(502, "<html>Bad Gateway</html>")).toEqual({
      status: 502,
      errorType: "api_error",
      message: "HTTP 502",
    });
  });
});
