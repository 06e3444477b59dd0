import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { anthropicTestConfig } from "../support/anthropic-test-config.js";
import {
  anthropicAnswers,
  anthropicFixture,
  type MockAnthropicUpstream,
  startMockAnthropicUpstream,
} from "../support/mock-anthropic-upstream.js";
import { type MockOpenAiUpstream, startMockOpenAiUpstream } from "../support/mock-openai-upstream.js";
import { startTestGateway, type TestGateway, testMasterKey } from "../support/start-test-gateway.js";

let claude: MockAnthropicUpstream;
let openAi: MockOpenAiUpstream;
let gateway: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  claude = await startMockAnthropicUpstream();
  openAi = await startMockOpenAiUpstream();
  gateway = await startTestGateway(anthropicTestConfig(claude.url, openAi.url));
  client = new Anthropic({ baseURL: gateway.url, apiKey: testMasterKey, maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await claude.close();
  await openAi.close();
});
beforeEach(() => {
  claude.requests.length = 0;
});

const weatherTool: Anthropic.Tool = {
  name: "get_weather",
  description: "Get the current weather in a given location",
  input_schema: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
};

describe("Anthropic SDK → anthropic provider (passthrough)", () => {
  it("forwards the body with model and auth rewritten and returns the upstream message", async () => {
    const { data, response } = await client.messages
      .create(
        {
          model: "claude-house",
          max_tokens: 256,
          system: "Be brief.",
          messages: [{ role: "user", content: "Hello" }],
        },
        { headers: { "anthropic-beta": "prompt-caching-2024-07-31", "anthropic-version": "2026-10-21" } },
      )
      .withResponse();
    expect(data.id).toBe("msg_01XFDUDYJgAACzvnptvVoYEL");
    expect(data.type).toBe("message");
    expect(data.role).toBe("assistant");
    expect(data.model).toBe("claude-sonnet-4-5-20250929");
    expect(data.content).toEqual([{ type: "text", text: "Hello! How can I help you today?" }]);
    expect(data.stop_reason).toBe("end_turn");
    expect(data.usage.input_tokens).toBe(12);
    expect(data.usage.cache_read_input_tokens).toBe(2048);
    expect(data.usage.output_tokens).toBe(12);
    expect(response.headers.get("x-switchyard-target")).toBe("claude/claude-sonnet-4-5-20250929");
    expect(response.headers.get("request-id")).toBe(response.headers.get("x-request-id"));

    const [seen] = claude.requests;
    expect(seen?.url).toBe("/v1/messages");
    expect(seen?.body).toEqual({
      model: "claude-sonnet-4-5-20250929",
      max_tokens: 256,
      system: "Be brief.",
      messages: [{ role: "user", content: "Hello" }],
    });
    expect(seen?.headers["x-api-key"]).toBe("anthropic-upstream-secret");
    // The client's own anthropic-version wins over the configured default.
    expect(seen?.headers["anthropic-version"]).toBe("2026-10-21");
    expect(seen?.headers["anthropic-beta"]).toBe("prompt-caching-2024-07-31");
    expect(seen?.headers.authorization).toBeUndefined();

    await gateway.running.flushRequestLog();
    const [row] = await gateway.running.storage.requestLogs.query({ model: "claude-house", limit: 1 });
    expect(row).toMatchObject({
      endpoint: "messages",
      status: 200,
      inputTokens: 2060,
      outputTokens: 12,
      cachedTokens: 2048,
    });
  });

  it("streams events unchanged; the SDK assembles thinking, text and tool use", async () => {
    const stream = client.messages.stream({
      model: "claude-house",
      max_tokens: 1024,
      tools: [weatherTool],
      thinking: { type: "enabled", budget_tokens: 1024 },
      messages: [{ role: "user", content: "Weather in SF and Paris?" }],
    });
    const message = await stream.finalMessage();
    expect(message.content).toEqual([
      {
        type: "thinking",
        thinking: "The user wants the weather in two cities. I should call get_weather for each.",
        signature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds",
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
    expect(message.stop_reason).toBe("tool_use");
    expect(message.usage.output_tokens).toBe(138);
    expect(message.usage.cache_creation_input_tokens).toBe(1500);
    expect(claude.requests[0]?.body.stream).toBe(true);
  });

  it("completes a tool round trip: the tool result goes upstream and the answer comes back", async () => {
    const first = await client.messages.create({
      model: "claude-house",
      max_tokens: 512,
      tools: [weatherTool],
      messages: [{ role: "user", content: "Weather in SF?" }],
    });
    const toolUse = first.content.find((block): block is Anthropic.ToolUseBlock => block.type === "tool_use");
    expect(toolUse?.id).toBe("toolu_01A09q90qw90lq917835lq9");
    const second = await client.messages.create({
      model: "claude-house",
      max_tokens: 512,
      tools: [weatherTool],
      messages: [
        { role: "user", content: "Weather in SF?" },
        { role: "assistant", content: first.content },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: toolUse?.id ?? "", content: "15 degrees" }],
        },
      ],
    });
    expect(second.content).toEqual([{ type: "text", text: "Hello! How can I help you today?" }]);
    expect(claude.requests[1]?.body.messages).toEqual([
      { role: "user", content: "Weather in SF?" },
      { role: "assistant", content: JSON.parse(JSON.stringify(first.content)) },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_01A09q90qw90lq917835lq9", content: "15 degrees" },
        ],
      },
    ]);
  });

  it("passes count_tokens through", async () => {
    const counted = await client.messages.countTokens({
      model: "claude-house",
      messages: [{ role: "user", content: "Hello" }],
    });
    expect(counted.input_tokens).toBe(2095);
    expect(claude.requests[0]?.url).toBe("/v1/messages/count_tokens");
    expect(claude.requests[0]?.body.model).toBe("claude-sonnet-4-5-20250929");
  });

  it("passes a 529 overloaded_error through with its status and body", async () => {
    claude.enqueue(anthropicAnswers.json(529, anthropicFixture("error-529-overloaded.json")));
    const failure = await client.messages
      .create({ model: "claude-house", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    const error = failure as InstanceType<typeof Anthropic.APIError>;
    expect(error.status).toBe(529);
    expect(error.error).toEqual(JSON.parse(anthropicFixture("error-529-overloaded.json")));
  });

  it("passes a 429 with retry-after through as a RateLimitError", async () => {
    claude.enqueue(
      anthropicAnswers.json(429, anthropicFixture("error-429-rate-limit.json"), { "retry-after": "17" }),
    );
    const failure = await client.messages
      .create({ model: "claude-house", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.RateLimitError);
    expect((failure as InstanceType<typeof Anthropic.RateLimitError>).headers.get("retry-after")).toBe("17");
  });

  it("relays a mid-stream error event; the SDK raises it", async () => {
    claude.enqueue(anthropicAnswers.sse(anthropicFixture("error-mid-stream.chunks.txt")));
    const stream = await client.messages.create({
      model: "claude-house",
      max_tokens: 10,
      stream: true,
      messages: [{ role: "user", content: "Tell me a story" }],
    });
    const texts: string[] = [];
    const failure = await (async () => {
      for await (const event of stream) {
        if (event.type === "content_block_delta" && event.delta.type === "text_delta")
          texts.push(event.delta.text);
      }
    })().catch((error: unknown) => error);
    expect(texts).toEqual(["Once upon"]);
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect((failure as InstanceType<typeof Anthropic.APIError>).error).toEqual({
      type: "error",
      error: { type: "overloaded_error", message: "Overloaded" },
    });
    await gateway.running.flushRequestLog();
    const [row] = await gateway.running.storage.requestLogs.query({ model: "claude-house", limit: 1 });
    expect(row?.errorCode).toBe("GW_ERR_UPSTREAM_ERROR");
  });
});

describe("models, as the Anthropic SDK lists them", () => {
  it("lists the caller's models in Anthropic's shape and answers an unknown one with a not_found_error", async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) {
      expect(model.type).toBe("model");
      ids.push(model.id);
    }
    expect(ids).toEqual(["claude-house", "gpt-4o", "sim-small", "claude-or-gpt"]);
    const one = await client.models.retrieve("gpt-4o");
    expect(one).toMatchObject({ type: "model", id: "gpt-4o", display_name: "gpt-4o" });
    const failure = await client.models.retrieve("nope").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.NotFoundError);
    expect((failure as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({
      type: "error",
      error: { type: "not_found_error", code: "GW_ERR_MODEL_NOT_FOUND" },
    });
  });
});

describe("Anthropic-dialect errors from the gateway itself", () => {
  it("answers a bad key with an Anthropic authentication_error carrying our code", async () => {
    const stranger = new Anthropic({ baseURL: gateway.url, apiKey: "sk-not-a-key", maxRetries: 0 });
    const failure = await stranger.messages
      .create({ model: "claude-house", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.AuthenticationError);
    const body = (failure as InstanceType<typeof Anthropic.AuthenticationError>).error as {
      type: string;
      error: { type: string; message: string; code: string };
      request_id: string;
    };
    expect(body.type).toBe("error");
    expect(body.error).toEqual({
      type: "authentication_error",
      message: "The API key is not valid or has been revoked.",
      code: "GW_ERR_AUTH_INVALID_KEY",
    });
    expect(body.request_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("accepts a bearer token as well as x-api-key, and names both when neither is sent", async () => {
    const body = JSON.stringify({
      model: "claude-house",
      max_tokens: 10,
      messages: [{ role: "user", content: "hi" }],
    });
    const withBearer = await fetch(`${gateway.url}/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${testMasterKey}`, "content-type": "application/json" },
      body,
    });
    expect(withBearer.status).toBe(200);
    expect(((await withBearer.json()) as { type: string }).type).toBe("message");
    const without = await fetch(`${gateway.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(without.status).toBe(401);
    expect(await without.json()).toMatchObject({
      type: "error",
      error: {
        type: "authentication_error",
        message: "No API key provided. Send `Authorization: Bearer <key>` or `x-api-key: <key>`.",
        code: "GW_ERR_AUTH_MISSING_KEY",
      },
    });
  });

  it("answers a missing max_tokens with a 400 invalid_request_error", async () => {
    const response = await fetch(`${gateway.url}/v1/messages`, {
      method: "POST",
      headers: {
        "x-api-key": testMasterKey,
        "content-type": "application/json",
        "anthropic-version": "2023-06-01",
      },
      body: JSON.stringify({ model: "claude-house", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      type: "error",
      error: {
        type: "invalid_request_error",
        message: "Invalid request: 'max_tokens' is required.",
        code: "GW_ERR_REQUEST_INVALID_BODY",
      },
    });
    expect(claude.requests).toHaveLength(0);
  });

  it("ends a cut stream with an error event, never a message_stop", async () => {
    const full = anthropicFixture("message-text.chunks.txt");
    claude.enqueue((_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(full.slice(0, full.indexOf("event: message_delta")), () => response.destroy());
    });
    const response = await fetch(`${gateway.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": testMasterKey, "content-type": "application/json" },
      body: JSON.stringify({
        model: "claude-house",
        max_tokens: 10,
        stream: true,
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    const text = await response.text();
    expect(text).toContain('"text":" you today?"');
    expect(text).not.toContain("message_stop");
    expect(claude.requests[0]?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(text.trimEnd().split("\n\n").at(-1)).toMatch(
      /^event: error\ndata: \{"type":"error","error":\{"type":"api_error",.*"code":"GW_ERR_STREAM_INTERRUPTED"/,
    );
  });
});
