import { readFileSync } from "node:fs";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { anthropicTestConfig } from "../support/anthropic-test-config.js";
import {
  anthropicAnswers,
  anthropicFixture,
  type MockAnthropicUpstream,
  startMockAnthropicUpstream,
} from "../support/mock-anthropic-upstream.js";
import {
  answers,
  type MockOpenAiUpstream,
  startMockOpenAiUpstream,
} from "../support/mock-openai-upstream.js";
import { readChatStream } from "../support/read-chat-stream.js";
import { startTestGateway, type TestGateway, testMasterKey } from "../support/start-test-gateway.js";

let claude: MockAnthropicUpstream;
let openAiUpstream: MockOpenAiUpstream;
let gateway: TestGateway;
let openAi: OpenAI;
let anthropic: Anthropic;

const openAiToolCallStream = readFileSync(
  new URL("../../src/providers/openai/__fixtures__/chat-tool-calls.chunks.txt", import.meta.url),
  "utf8",
);

beforeAll(async () => {
  claude = await startMockAnthropicUpstream();
  openAiUpstream = await startMockOpenAiUpstream();
  gateway = await startTestGateway(anthropicTestConfig(claude.url, openAiUpstream.url));
  openAi = gateway.client();
  anthropic = new Anthropic({ baseURL: gateway.url, apiKey: testMasterKey, maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await claude.close();
  await openAiUpstream.close();
});
beforeEach(() => {
  claude.requests.length = 0;
  openAiUpstream.requests.length = 0;
});

const weatherFunction: OpenAI.ChatCompletionTool = {
  type: "function",
  function: {
    name: "get_weather",
    parameters: { type: "object", properties: { location: { type: "string" } } },
  },
};

describe("OpenAI SDK → anthropic provider (translated)", () => {
  it("translates a text turn: system prompt, max tokens, usage with cache reads, finish reason", async () => {
    const { data, response } = await openAi.chat.completions
      .create({
        model: "claude-house",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Hello" },
        ],
        max_tokens: 100,
        temperature: 1.5,
      })
      .withResponse();
    expect(data.object).toBe("chat.completion");
    expect(data.id).toBe("chatcmpl-msg_01XFDUDYJgAACzvnptvVoYEL");
    expect(data.model).toBe("claude-sonnet-4-5-20250929");
    expect(data.choices).toHaveLength(1);
    expect(data.choices[0]?.message.role).toBe("assistant");
    expect(data.choices[0]?.message.content).toBe("Hello! How can I help you today?");
    expect(data.choices[0]?.finish_reason).toBe("stop");
    expect(data.usage?.prompt_tokens).toBe(2060);
    expect(data.usage?.completion_tokens).toBe(12);
    expect(data.usage?.total_tokens).toBe(2072);
    expect(data.usage?.prompt_tokens_details?.cached_tokens).toBe(2048);
    expect(response.headers.get("x-switchyard-warnings")).toBe(
      "temperature 1.5 clamped to 1 (Anthropic's maximum)",
    );
    await gateway.running.flushRequestLog();
    const [row] = await gateway.running.storage.requestLogs.query({ model: "claude-house", limit: 1 });
    expect(row).toMatchObject({
      endpoint: "chat.completions",
      target: "claude/claude-sonnet-4-5-20250929",
      inputTokens: 2060,
      cachedTokens: 2048,
      warnings: "temperature 1.5 clamped to 1 (Anthropic's maximum)",
    });

    const [seen] = claude.requests;
    expect(seen?.url).toBe("/v1/messages");
    expect(seen?.headers["x-api-key"]).toBe("anthropic-upstream-secret");
    expect(seen?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(seen?.body).toEqual({
      model: "claude-sonnet-4-5-20250929",
      system: "Be brief.",
      messages: [{ role: "user", content: [{ type: "text", text: "Hello" }] }],
      max_tokens: 100,
      temperature: 1,
    });
  });

  it("streams tool calls reassembled per index, the finish reason and usage", async () => {
    const stream = await openAi.chat.completions.create({
      model: "claude-house",
      messages: [{ role: "user", content: "Weather in SF and Paris?" }],
      tools: [weatherFunction],
      stream: true,
      stream_options: { include_usage: true },
    });
    const { text, toolCalls: calls, finishReasons, usage } = await readChatStream(stream);
    expect(text).toBe("I'll check both cities.");
    expect(calls).toEqual([
      {
        id: "toolu_01A09q90qw90lq917835lq9",
        name: "get_weather",
        arguments: '{"location": "San Francisco, CA", "unit": "celsius"}',
      },
      {
        id: "toolu_01B19r01rx01mr028946mr0",
        name: "get_weather",
        arguments: '{"location": "Paris, France", "unit": "celsius"}',
      },
    ]);
    expect(finishReasons).toEqual(["tool_calls"]);
    expect(usage).toMatchObject({ prompt_tokens: 1972, completion_tokens: 138, total_tokens: 2110 });
    expect(claude.requests[0]?.body).toMatchObject({ stream: true, max_tokens: 4096 });
    expect(claude.requests[0]?.body.stream_options).toBeUndefined();
  });

  it("completes a tool round trip: tool messages become one user turn of tool_result blocks", async () => {
    const first = await openAi.chat.completions.create({
      model: "claude-house",
      messages: [{ role: "user", content: "Weather in SF and Paris?" }],
      tools: [weatherFunction],
      max_tokens: 500,
    });
    const toolCalls = (first.choices[0]?.message.tool_calls ?? []).filter((call) => call.type === "function");
    expect(first.choices[0]?.finish_reason).toBe("tool_calls");
    expect(toolCalls.map((call) => call.id)).toEqual([
      "toolu_01A09q90qw90lq917835lq9",
      "toolu_01B19r01rx01mr028946mr0",
    ]);
    const second = await openAi.chat.completions.create({
      model: "claude-house",
      tools: [weatherFunction],
      max_tokens: 500,
      messages: [
        { role: "user", content: "Weather in SF and Paris?" },
        { role: "assistant", content: null, tool_calls: toolCalls },
        { role: "tool", tool_call_id: toolCalls[0]?.id ?? "", content: "15 degrees" },
        { role: "tool", tool_call_id: toolCalls[1]?.id ?? "", content: "22 degrees" },
      ],
    });
    expect(second.choices[0]?.message.content).toBe("Hello! How can I help you today?");
    expect(claude.requests[1]?.body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Weather in SF and Paris?" }] },
      {
        role: "assistant",
        content: [
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
        ],
      },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: "toolu_01A09q90qw90lq917835lq9",
            content: [{ type: "text", text: "15 degrees" }],
          },
          {
            type: "tool_result",
            tool_use_id: "toolu_01B19r01rx01mr028946mr0",
            content: [{ type: "text", text: "22 degrees" }],
          },
        ],
      },
    ]);
  });

  it("maps a 529 overloaded_error to an OpenAI error with the upstream status and message", async () => {
    claude.enqueue(anthropicAnswers.json(529, anthropicFixture("error-529-overloaded.json")));
    const failure = await openAi.chat.completions
      .create({ model: "claude-house", messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.InternalServerError);
    const error = failure as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(529);
    expect(error.error).toEqual({ message: "Overloaded", type: "overloaded_error", param: null, code: null });
  });

  it("refuses n > 1 with a 400 naming the feature, before calling the provider", async () => {
    const failure = await openAi.chat.completions
      .create({ model: "claude-house", n: 2, messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    const error = failure as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error.code).toBe("GW_ERR_TRANSLATION_UNSUPPORTED");
    expect(error.message).toContain("n=2");
    expect(claude.requests).toHaveLength(0);
  });
});

describe("Anthropic SDK → OpenAI-dialect provider (translated)", () => {
  it("translates a text turn; usage splits cached reads out of input_tokens", async () => {
    const message = await anthropic.messages.create({
      model: "gpt-4o",
      max_tokens: 300,
      system: "You describe pictures.",
      messages: [{ role: "user", content: "What is in this image?" }],
    });
    expect(message.type).toBe("message");
    expect(message.role).toBe("assistant");
    expect(message.model).toBe("gpt-4o-2024-08-06");
    expect(message.content).toEqual([
      {
        type: "text",
        text: "The image shows a wooden boardwalk path running through a lush green field or meadow.",
      },
    ]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toEqual({
      input_tokens: 93,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 1024,
      output_tokens: 46,
    });
    const [seen] = openAiUpstream.requests;
    expect(seen?.url).toBe("/v1/chat/completions");
    expect(seen?.headers.authorization).toBe("Bearer openai-upstream-secret");
    expect(seen?.body).toEqual({
      model: "gpt-4o-2024-08-06",
      messages: [
        { role: "system", content: "You describe pictures." },
        { role: "user", content: "What is in this image?" },
      ],
      max_completion_tokens: 300,
    });
  });

  it("streams parallel tool calls as tool_use blocks the SDK assembles", async () => {
    openAiUpstream.enqueue(answers.sse(openAiToolCallStream));
    const stream = anthropic.messages.stream({
      model: "gpt-4o",
      max_tokens: 300,
      tools: [
        {
          name: "get_weather",
          input_schema: { type: "object", properties: { location: { type: "string" } } },
        },
      ],
      messages: [{ role: "user", content: "Weather in SF and Paris?" }],
    });
    const message = await stream.finalMessage();
    expect(message.content).toEqual([
      {
        type: "tool_use",
        id: "call_Dn2RJJSxzDm49vlVTehseJ0k",
        name: "get_weather",
        input: { location: "San Francisco, CA" },
      },
      {
        type: "tool_use",
        id: "call_Kz8pQw3vNbX1mYt7LcR2sHfA",
        name: "get_weather",
        input: { location: "Paris, France" },
      },
    ]);
    expect(message.stop_reason).toBe("tool_use");
    expect(message.usage.input_tokens).toBe(82);
    expect(message.usage.output_tokens).toBe(51);
    expect(openAiUpstream.requests[0]?.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    await gateway.running.flushRequestLog();
    const [row] = await gateway.running.storage.requestLogs.query({ model: "gpt-4o", limit: 1 });
    expect(row).toMatchObject({
      endpoint: "messages",
      stream: true,
      inputTokens: 82,
      outputTokens: 51,
      errorCode: null,
    });
  });

  it("maps an OpenAI 429 to an Anthropic rate_limit_error with retry-after kept", async () => {
    openAiUpstream.enqueue(
      answers.json(
        429,
        '{"error":{"message":"Rate limit reached for gpt-4o","type":"requests","param":null,"code":"rate_limit_exceeded"}}',
        { "retry-after": "3" },
      ),
    );
    const failure = await anthropic.messages
      .create({ model: "gpt-4o", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.RateLimitError);
    const error = failure as InstanceType<typeof Anthropic.RateLimitError>;
    expect(error.error).toEqual({
      type: "error",
      error: { type: "rate_limit_error", message: "Rate limit reached for gpt-4o" },
    });
    expect(error.headers.get("retry-after")).toBe("3");
  });

  it("estimates usage when the OpenAI-dialect provider sends none, and says so", async () => {
    const withoutUsage = JSON.parse(
      readFileSync(new URL("../__fixtures__/openai/chat-completion.json", import.meta.url), "utf8"),
    );
    delete withoutUsage.usage;
    openAiUpstream.enqueue(answers.json(200, JSON.stringify(withoutUsage)));
    const { data, response } = await anthropic.messages
      .create({
        model: "gpt-4o",
        max_tokens: 300,
        messages: [{ role: "user", content: "What is in this image?" }],
      })
      .withResponse();
    expect(data.usage.input_tokens).toBeGreaterThan(5);
    expect(data.usage.output_tokens).toBeGreaterThan(10);
    expect(response.headers.get("x-switchyard-warnings")).toBe(
      "usage estimated locally: provider gpt sent none",
    );
    await gateway.running.flushRequestLog();
    const [row] = await gateway.running.storage.requestLogs.query({ model: "gpt-4o", limit: 1 });
    expect(row?.inputTokens).toBe(data.usage.input_tokens);
    expect(row?.outputTokens).toBe(data.usage.output_tokens);
  });

  it("estimates count_tokens locally and says so in x-switchyard-warnings", async () => {
    const { data, response } = await anthropic.messages
      .countTokens({ model: "gpt-4o", messages: [{ role: "user", content: "Hello there, how are you?" }] })
      .withResponse();
    expect(data.input_tokens).toBeGreaterThan(7);
    expect(data.input_tokens).toBeLessThan(20);
    expect(response.headers.get("x-switchyard-warnings")).toContain("input_tokens estimated locally");
    expect(openAiUpstream.requests).toHaveLength(0);
  });
});

describe("fallback across dialects", () => {
  it("falls back from an overloaded Anthropic target to an OpenAI-dialect one, translating the answer", async () => {
    claude.enqueue(anthropicAnswers.json(529, anthropicFixture("error-529-overloaded.json")));
    const { data, response } = await anthropic.messages
      .create({
        model: "claude-or-gpt",
        max_tokens: 50,
        messages: [{ role: "user", content: "Describe it" }],
      })
      .withResponse();
    expect(data.content).toEqual([
      {
        type: "text",
        text: "The image shows a wooden boardwalk path running through a lush green field or meadow.",
      },
    ]);
    expect(response.headers.get("x-switchyard-target")).toBe("gpt/gpt-4o-2024-08-06");
    expect(response.headers.get("x-switchyard-attempts")).toBe("2");
    expect(claude.requests).toHaveLength(1);
    expect(openAiUpstream.requests[0]?.body.model).toBe("gpt-4o-2024-08-06");
  });
});

describe("Anthropic SDK → simulator", () => {
  it("answers a text turn and a stream", async () => {
    const message = await anthropic.messages.create({
      model: "sim-small",
      max_tokens: 30,
      messages: [{ role: "user", content: "Say something" }],
    });
    expect(message.type).toBe("message");
    expect(message.content[0]?.type).toBe("text");
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    const streamed = await anthropic.messages
      .stream({ model: "sim-small", max_tokens: 30, messages: [{ role: "user", content: "Say something" }] })
      .finalMessage();
    const block = streamed.content[0];
    expect(block?.type === "text" && block.text.length > 0).toBe(true);
    expect(["end_turn", "max_tokens"]).toContain(streamed.stop_reason);
    expect(streamed.usage.output_tokens).toBeGreaterThan(0);
  });
});
