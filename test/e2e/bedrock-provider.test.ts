import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bedrockJson, streamMessages } from "../../src/providers/bedrock/test-fixtures.js";
import { bedrockTestConfig, claudeId } from "../support/bedrock-test-config.js";
import {
  bedrockAnswers,
  type MockBedrockUpstream,
  mockBedrockCredentials,
  startMockBedrockUpstream,
} from "../support/mock-bedrock-upstream.js";
import { readChatStream, readChatStreamUntilFailure } from "../support/read-chat-stream.js";
import { startTestGateway, type TestGateway, testMasterKey } from "../support/start-test-gateway.js";

const encodedClaudeId = "anthropic.claude-3-5-sonnet-20241022-v2%3A0";

let upstream: MockBedrockUpstream;
let gateway: TestGateway;
let openAi: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  upstream = await startMockBedrockUpstream();
  gateway = await startTestGateway(bedrockTestConfig(upstream.url), {
    TEST_AWS_SECRET: mockBedrockCredentials.secretAccessKey,
  });
  openAi = gateway.client();
  anthropic = new Anthropic({ baseURL: gateway.url, apiKey: testMasterKey, maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.requests.length = 0;
});

const weatherFunction: OpenAI.ChatCompletionTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather for a city",
    parameters: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
  },
};
const weatherSpec = {
  toolSpec: {
    name: "get_weather",
    description: "Current weather for a city",
    inputSchema: {
      json: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
    },
  },
};

describe("OpenAI SDK → bedrock provider", () => {
  it("sends a signed Converse call (model id in the URL) and reads text, finish reason and cached usage", async () => {
    const { data, response } = await openAi.chat.completions
      .create({
        model: "claude-bedrock",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Hello" },
        ],
        max_tokens: 100,
        temperature: 0.5,
        top_p: 0.9,
        stop: ["###"],
        reasoning_effort: "low",
      })
      .withResponse();
    expect(response.headers.get("x-switchyard-warnings")).toBe(
      "reasoning_effort low has no Converse equivalent, dropped",
    );
    const [seen] = upstream.requests;
    expect(seen?.url).toBe(`/model/${encodedClaudeId}/converse`);
    expect(seen?.modelId).toBe(claudeId);
    expect(seen?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-west-2\/bedrock\/aws4_request, /,
    );
    expect(seen?.headers["x-amz-security-token"]).toBe(mockBedrockCredentials.sessionToken);
    expect(seen?.body).toEqual({
      messages: [{ role: "user", content: [{ text: "Hello" }] }],
      system: [{ text: "Be brief." }],
      inferenceConfig: { maxTokens: 100, temperature: 0.5, topP: 0.9, stopSequences: ["###"] },
    });
    expect(data.object).toBe("chat.completion");
    expect(data.id).toMatch(/^chatcmpl-[0-9a-f-]{36}$/);
    expect(data.model).toBe(claudeId);
    expect(data.choices).toHaveLength(1);
    expect(data.choices[0]?.message.role).toBe("assistant");
    expect(data.choices[0]?.message.content).toBe("Hello! How can I help you today?");
    expect(data.choices[0]?.finish_reason).toBe("stop");
    expect(data.usage?.prompt_tokens).toBe(2060);
    expect(data.usage?.completion_tokens).toBe(12);
    expect(data.usage?.total_tokens).toBe(2072);
    expect(data.usage?.prompt_tokens_details?.cached_tokens).toBe(2048);
    await gateway.running.flushRequestLog();
    const [row] = await gateway.running.storage.requestLogs.query({ model: "claude-bedrock", limit: 1 });
    expect(row).toMatchObject({
      endpoint: "chat.completions",
      target: `aws/${claudeId}`,
      status: 200,
      inputTokens: 2060,
      outputTokens: 12,
      cachedTokens: 2048,
    });
  });

  it("streams text from ConverseStream's binary event stream, with finish reason and usage", async () => {
    const stream = await openAi.chat.completions.create({
      model: "claude-bedrock",
      messages: [{ role: "user", content: "Hello" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const { models, text, finishReasons, usage } = await readChatStream(stream);
    expect(models).toEqual([claudeId]);
    expect(text).toBe("Hello! How can I help you today?");
    expect(finishReasons).toEqual(["stop"]);
    expect(usage?.prompt_tokens).toBe(2060);
    expect(usage?.completion_tokens).toBe(12);
    expect(usage?.prompt_tokens_details?.cached_tokens).toBe(2048);
    expect(upstream.requests[0]?.url).toBe(`/model/${encodedClaudeId}/converse-stream`);
    expect(upstream.requests[0]?.headers.accept).toBe("application/vnd.amazon.eventstream");
  });

  it("streams two tool calls reassembled per index with Bedrock's tool ids", async () => {
    const stream = await openAi.chat.completions.create({
      model: "claude-bedrock",
      messages: [{ role: "user", content: "Weather in SF and Paris?" }],
      tools: [weatherFunction],
      tool_choice: "required",
      stream: true,
    });
    const { toolCalls: calls, finishReasons } = await readChatStream(stream);
    expect(calls).toEqual([
      {
        id: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
        name: "get_weather",
        arguments: '{"location": "San Francisco, CA"}',
      },
      {
        id: "tooluse_0Xr3mPq9TZuX1wH7cVbN2A",
        name: "get_weather",
        arguments: '{"location": "Paris, France"}',
      },
    ]);
    expect(finishReasons).toEqual(["tool_calls"]);
    expect(upstream.requests[0]?.body.toolConfig).toEqual({ tools: [weatherSpec], toolChoice: { any: {} } });
  });

  it("completes a tool round trip: tool messages become one user turn of toolResult blocks", async () => {
    const first = await openAi.chat.completions.create({
      model: "claude-bedrock",
      messages: [{ role: "user", content: "Weather in SF and Paris?" }],
      tools: [weatherFunction],
    });
    expect(first.choices[0]?.finish_reason).toBe("tool_calls");
    expect(first.choices[0]?.message.content).toBe("I'll check the weather in both cities.");
    const toolCalls = (first.choices[0]?.message.tool_calls ?? []).filter((call) => call.type === "function");
    expect(toolCalls.map((call) => [call.id, call.function.name, call.function.arguments])).toEqual([
      ["tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "get_weather", '{"location":"San Francisco, CA"}'],
      ["tooluse_0Xr3mPq9TZuX1wH7cVbN2A", "get_weather", '{"location":"Paris, France"}'],
    ]);
    expect(first.usage?.prompt_tokens).toBe(1404);
    const second = await openAi.chat.completions.create({
      model: "claude-bedrock",
      tools: [weatherFunction],
      messages: [
        { role: "user", content: "Weather in SF and Paris?" },
        { role: "assistant", content: null, tool_calls: toolCalls },
        { role: "tool", tool_call_id: toolCalls[0]?.id ?? "", content: "15 degrees" },
        { role: "tool", tool_call_id: toolCalls[1]?.id ?? "", content: "22 degrees" },
      ],
    });
    expect(second.choices[0]?.message.content).toBe("Hello! How can I help you today?");
    expect(upstream.requests[1]?.body.messages).toEqual([
      { role: "user", content: [{ text: "Weather in SF and Paris?" }] },
      {
        role: "assistant",
        content: [
          {
            toolUse: {
              toolUseId: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
              name: "get_weather",
              input: { location: "San Francisco, CA" },
            },
          },
          {
            toolUse: {
              toolUseId: "tooluse_0Xr3mPq9TZuX1wH7cVbN2A",
              name: "get_weather",
              input: { location: "Paris, France" },
            },
          },
        ],
      },
      {
        role: "user",
        content: [
          { toolResult: { toolUseId: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", content: [{ text: "15 degrees" }] } },
          { toolResult: { toolUseId: "tooluse_0Xr3mPq9TZuX1wH7cVbN2A", content: [{ text: "22 degrees" }] } },
        ],
      },
    ]);
  });

  it("maps a 400 ValidationException and a 429 ThrottlingException with status and message kept", async () => {
    upstream.enqueue(bedrockAnswers.error("error-400-validation.json"));
    const invalid = await openAi.chat.completions
      .create({ model: "claude-bedrock", messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(OpenAI.BadRequestError);
    const badRequest = invalid as InstanceType<typeof OpenAI.APIError>;
    expect(badRequest.status).toBe(400);
    expect(badRequest.error).toEqual({
      message: "The provided model identifier is invalid.",
      type: "invalid_request_error",
      param: null,
      code: null,
    });
    upstream.enqueue(bedrockAnswers.error("error-429-throttling.json"));
    const throttled = await openAi.chat.completions
      .create({ model: "claude-bedrock", messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimit = throttled as InstanceType<typeof OpenAI.APIError>;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.message).toContain("Too many requests, please wait before trying again.");
  });

  it("surfaces a mid-stream throttlingException as a stream error after the text so far", async () => {
    upstream.enqueue(bedrockAnswers.events(streamMessages("converse-stream-exception.events.json")));
    const stream = await openAi.chat.completions.create({
      model: "claude-bedrock",
      messages: [{ role: "user", content: "Tell me a story" }],
      stream: true,
    });
    const { text, failure } = await readChatStreamUntilFailure(stream);
    expect(text).toBe("Once upon a");
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as Error).message).toContain("Too many tokens, please wait before trying again.");
  });

  it("answers 502 GW_ERR_UPSTREAM_INVALID_RESPONSE when Converse answers 200 with a body that is not JSON", async () => {
    upstream.enqueue((_request, response) => {
      response.writeHead(200, { "content-type": "text/html" });
      response.end("<html>gateway timeout</html>");
    });
    const failure = await openAi.chat.completions
      .create({ model: "claude-bedrock", messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.InternalServerError);
    const error = failure as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(502);
    expect(error.code).toBe("GW_ERR_UPSTREAM_INVALID_RESPONSE");
  });

  it("refuses image URLs with a 400 naming the gap, before calling Bedrock", async () => {
    const failure = await openAi.chat.completions
      .create({
        model: "claude-bedrock",
        messages: [
          {
            role: "user",
            content: [{ type: "image_url", image_url: { url: "https://example.com/cat.png" } }],
          },
        ],
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    const error = failure as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error.code).toBe("GW_ERR_TRANSLATION_UNSUPPORTED");
    expect(error.message).toContain("image URLs");
    expect(upstream.requests).toHaveLength(0);
  });

  it("authenticates with a Bedrock API key as a bearer token instead of SigV4", async () => {
    const data = await openAi.chat.completions.create({
      model: "claude-bedrock-key",
      messages: [{ role: "user", content: "Hello" }],
    });
    expect(data.choices[0]?.message.content).toBe("Hello! How can I help you today?");
    expect(upstream.requests[0]?.headers.authorization).toBe(`Bearer ${mockBedrockCredentials.bearerToken}`);
    expect(upstream.requests[0]?.headers["x-amz-date"]).toBeUndefined();
  });

  it("passes on the mock's 403 when the signature does not verify (wrong secret)", async () => {
    const failure = await openAi.chat.completions
      .create({ model: "claude-bedrock-unsigned", messages: [{ role: "user", content: "Hello" }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.PermissionDeniedError);
    const error = failure as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(403);
    expect(error.error).toMatchObject({ type: "authentication_error" });
    expect(error.message).toContain("The request signature we calculated does not match");
  });

  it("embeds through Titan: one signed InvokeModel per input, answers in input order", async () => {
    const titanVector = bedrockJson<{ embedding: number[] }>("titan-embedding.json").embedding;
    const response = await openAi.embeddings.create({
      model: "titan-embed",
      input: ["The quick brown fox", "jumps over the lazy dog today"],
      dimensions: 256,
    });
    expect(response.object).toBe("list");
    expect(response.model).toBe("amazon.titan-embed-text-v2:0");
    expect(response.data).toHaveLength(2);
    expect(response.data.map((entry) => [entry.object, entry.index])).toEqual([
      ["embedding", 0],
      ["embedding", 1],
    ]);
    for (const entry of response.data) {
      expect(entry.embedding).toHaveLength(256);
      entry.embedding.forEach((value, index) => {
        expect(value).toBeCloseTo(titanVector[index] ?? Number.NaN, 6);
      });
    }
    expect(response.usage).toEqual({ prompt_tokens: 10, total_tokens: 10 });
    const invocations = upstream.requests.map((request) => [request.url, request.body]);
    expect(invocations).toHaveLength(2);
    expect(invocations).toEqual(
      expect.arrayContaining([
        [
          "/model/amazon.titan-embed-text-v2%3A0/invoke",
          { inputText: "The quick brown fox", dimensions: 256, normalize: true },
        ],
        [
          "/model/amazon.titan-embed-text-v2%3A0/invoke",
          { inputText: "jumps over the lazy dog today", dimensions: 256, normalize: true },
        ],
      ]),
    );
  });

  it("maps an embeddings error to an OpenAI error with the upstream status and message", async () => {
    upstream.enqueue(bedrockAnswers.error("error-400-validation.json"));
    const failure = await openAi.embeddings
      .create({ model: "titan-embed", input: "hello" })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    const error = failure as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ message: "The provided model identifier is invalid." });
  });
});

describe("Anthropic SDK → bedrock provider", () => {
  it("translates a text turn; usage splits cache reads out of input_tokens", async () => {
    const message = await anthropic.messages.create({
      model: "claude-bedrock",
      max_tokens: 300,
      system: "Be brief.",
      messages: [{ role: "user", content: "Hello" }],
    });
    expect(message.type).toBe("message");
    expect(message.role).toBe("assistant");
    expect(message.id).toMatch(/^msg_[0-9a-f-]{36}$/);
    expect(message.model).toBe(claudeId);
    expect(message.content).toEqual([{ type: "text", text: "Hello! How can I help you today?" }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.stop_sequence).toBeNull();
    expect(message.usage).toMatchObject({
      input_tokens: 12,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 2048,
      output_tokens: 12,
    });
    expect(upstream.requests[0]?.body).toEqual({
      messages: [{ role: "user", content: [{ text: "Hello" }] }],
      system: [{ text: "Be brief." }],
      inferenceConfig: { maxTokens: 300 },
    });
  });

  it("streams text and ends with stop reason and usage", async () => {
    const stream = anthropic.messages.stream({
      model: "claude-bedrock",
      max_tokens: 300,
      messages: [{ role: "user", content: "Hello" }],
    });
    let text = "";
    stream.on("text", (delta) => {
      text += delta;
    });
    const message = await stream.finalMessage();
    expect(text).toBe("Hello! How can I help you today?");
    expect(message.content).toEqual([{ type: "text", text: "Hello! How can I help you today?" }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toMatchObject({
      input_tokens: 12,
      cache_read_input_tokens: 2048,
      output_tokens: 12,
    });
  });

  it("completes a tool round trip with tool_use ids kept and tool_result sent back as toolResult", async () => {
    const tools: Anthropic.Tool[] = [
      {
        name: "get_weather",
        description: "Current weather for a city",
        input_schema: {
          type: "object",
          properties: { location: { type: "string" } },
          required: ["location"],
        },
      },
    ];
    const first = await anthropic.messages.create({
      model: "claude-bedrock",
      max_tokens: 500,
      tools,
      tool_choice: { type: "tool", name: "get_weather" },
      messages: [{ role: "user", content: "Weather in SF and Paris?" }],
    });
    expect(first.stop_reason).toBe("tool_use");
    expect(first.content).toEqual([
      { type: "text", text: "I'll check the weather in both cities." },
      {
        type: "tool_use",
        id: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
        name: "get_weather",
        input: { location: "San Francisco, CA" },
      },
      {
        type: "tool_use",
        id: "tooluse_0Xr3mPq9TZuX1wH7cVbN2A",
        name: "get_weather",
        input: { location: "Paris, France" },
      },
    ]);
    expect(upstream.requests[0]?.body.toolConfig).toEqual({
      tools: [weatherSpec],
      toolChoice: { tool: { name: "get_weather" } },
    });
    const second = await anthropic.messages.create({
      model: "claude-bedrock",
      max_tokens: 500,
      tools,
      messages: [
        { role: "user", content: "Weather in SF and Paris?" },
        { role: "assistant", content: first.content },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", content: "15 degrees" },
            {
              type: "tool_result",
              tool_use_id: "tooluse_0Xr3mPq9TZuX1wH7cVbN2A",
              content: "22 degrees",
              is_error: true,
            },
          ],
        },
      ],
    });
    expect(second.content).toEqual([{ type: "text", text: "Hello! How can I help you today?" }]);
    expect(upstream.requests[1]?.body.messages).toEqual([
      { role: "user", content: [{ text: "Weather in SF and Paris?" }] },
      {
        role: "assistant",
        content: [
          { text: "I'll check the weather in both cities." },
          {
            toolUse: {
              toolUseId: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
              name: "get_weather",
              input: { location: "San Francisco, CA" },
            },
          },
          {
            toolUse: {
              toolUseId: "tooluse_0Xr3mPq9TZuX1wH7cVbN2A",
              name: "get_weather",
              input: { location: "Paris, France" },
            },
          },
        ],
      },
      {
        role: "user",
        content: [
          { toolResult: { toolUseId: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", content: [{ text: "15 degrees" }] } },
          {
            toolResult: {
              toolUseId: "tooluse_0Xr3mPq9TZuX1wH7cVbN2A",
              content: [{ text: "22 degrees" }],
              status: "error",
            },
          },
        ],
      },
    ]);
  });

  it("maps a 429 ThrottlingException to an Anthropic rate_limit_error with status and message", async () => {
    upstream.enqueue(bedrockAnswers.error("error-429-throttling.json"));
    const failure = await anthropic.messages
      .create({ model: "claude-bedrock", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.RateLimitError);
    const error = failure as InstanceType<typeof Anthropic.APIError>;
    expect(error.status).toBe(429);
    expect(error.error).toEqual({
      type: "error",
      error: { type: "rate_limit_error", message: "Too many requests, please wait before trying again." },
    });
  });

  it("surfaces a mid-stream throttlingException as an Anthropic stream error", async () => {
    upstream.enqueue(bedrockAnswers.events(streamMessages("converse-stream-exception.events.json")));
    const stream = anthropic.messages.stream({
      model: "claude-bedrock",
      max_tokens: 300,
      messages: [{ role: "user", content: "Tell me a story" }],
    });
    let text = "";
    stream.on("text", (delta) => {
      text += delta;
    });
    const failure = await stream.finalMessage().catch((error: unknown) => error);
    expect(text).toBe("Once upon a");
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect((failure as Error).message).toContain("Too many tokens, please wait before trying again.");
  });
});
