import OpenAI from "openai";
import type { ResponseInputItem, ResponseStreamEvent } from "openai/resources/responses/responses";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  anthropicAnswers,
  anthropicFixture,
  type MockAnthropicUpstream,
  startMockAnthropicUpstream,
} from "../support/mock-anthropic-upstream.js";
import {
  answers,
  type MockOpenAiUpstream,
  responsesFixture,
  startMockOpenAiUpstream,
} from "../support/mock-openai-upstream.js";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let openAiUpstream: MockOpenAiUpstream;
let claude: MockAnthropicUpstream;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  openAiUpstream = await startMockOpenAiUpstream();
  claude = await startMockAnthropicUpstream();
  gateway = await startTestGateway(`
providers:
  - name: oai
    type: openai
    baseUrl: ${openAiUpstream.url}
    apiKey: openai-upstream-secret
  - name: compat
    type: openai-compatible
    baseUrl: ${openAiUpstream.url}
    apiKey: compat-secret
  - name: claude
    type: anthropic
    baseUrl: ${claude.url}
    apiKey: anthropic-upstream-secret
  - name: sim
    type: simulator
models:
  - name: gpt-house
    targets:
      - provider: oai
        model: gpt-4.1-2025-04-14
  - name: compat-house
    targets:
      - provider: compat
        model: gpt-4o-2024-08-06
  - name: claude-house
    targets:
      - provider: claude
        model: claude-sonnet-4-5-20250929
  - name: sim-small
    targets:
      - provider: sim
keys:
  refreshIntervalMs: 20
requestLog:
  flushIntervalMs: 60000
`);
  client = gateway.client();
});
afterAll(async () => {
  await gateway.close();
  await claude.close();
  await openAiUpstream.close();
});
beforeEach(() => {
  openAiUpstream.requests.length = 0;
  claude.requests.length = 0;
});

const weatherTool: OpenAI.Responses.FunctionTool = {
  type: "function",
  name: "get_weather",
  description: "Get the current weather for a location.",
  parameters: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
  strict: false,
};

async function collect(stream: AsyncIterable<ResponseStreamEvent>): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function deltasOf(events: readonly ResponseStreamEvent[]): string {
  return events.map((event) => (event.type === "response.output_text.delta" ? event.delta : "")).join("");
}

async function lastLogRow(model: string) {
  await gateway.running.flushRequestLog();
  const [row] = await gateway.running.storage.requestLogs.query({ model, limit: 1 });
  return row;
}

describe("Responses → openai provider (passthrough)", () => {
  it("forwards the client's body with only the model changed and returns the upstream's bytes", async () => {
    const raw = await client.responses
      .create({
        model: "gpt-house",
        input: "Tell me a story about a unicorn.",
        instructions: "Be brief.",
        store: false,
      })
      .asResponse();
    expect(raw.status).toBe(200);
    expect(await raw.text()).toBe(responsesFixture("response-text.json"));
    const [seen] = openAiUpstream.requests;
    expect(seen?.url).toBe("/v1/responses");
    expect(seen?.headers.authorization).toBe("Bearer openai-upstream-secret");
    expect(seen?.body).toEqual({
      model: "gpt-4.1-2025-04-14",
      input: "Tell me a story about a unicorn.",
      instructions: "Be brief.",
      store: false,
    });
  });

  it("gives the SDK a typed Response and records its usage", async () => {
    const response = await client.responses.create({ model: "gpt-house", input: "Tell me a story." });
    expect(response.id).toBe("resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b");
    expect(response.object).toBe("response");
    expect(response.status).toBe("completed");
    expect(response.model).toBe("gpt-4.1-2025-04-14");
    expect(response.output_text).toBe(
      "In a peaceful grove beneath a silver moon, a unicorn named Lumina discovered a hidden pool that reflected the stars.",
    );
    expect(response.usage).toEqual({
      input_tokens: 36,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 87,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 123,
    });
    expect(await lastLogRow("gpt-house")).toMatchObject({
      endpoint: "responses",
      target: "oai/gpt-4.1-2025-04-14",
      status: 200,
      inputTokens: 36,
      outputTokens: 87,
    });
  });

  it("relays a stream event by event and records usage from response.completed", async () => {
    const events = await collect(
      await client.responses.create({ model: "gpt-house", input: "Hi", stream: true }),
    );
    const recorded = responsesFixture("response-text.chunks.txt")
      .split("\n\n")
      .filter((frame) => frame !== "")
      .map((frame) => JSON.parse(frame.slice(frame.indexOf("data: ") + 6)) as unknown);
    expect(events).toEqual(recorded);
    expect(deltasOf(events)).toBe("Hi there! How can I help?");
    const last = events.at(-1);
    expect(last?.type).toBe("response.completed");
    expect(openAiUpstream.requests[0]?.body).toEqual({
      model: "gpt-4.1-2025-04-14",
      input: "Hi",
      stream: true,
    });
    expect(await lastLogRow("gpt-house")).toMatchObject({
      endpoint: "responses",
      inputTokens: 9,
      outputTokens: 7,
    });
  });

  it("reads cached and reasoning tokens of a passed-through tool call answer into the request log", async () => {
    openAiUpstream.enqueue(answers.json(200, responsesFixture("response-function-call.json")));
    const response = await client.responses.create({
      model: "gpt-house",
      input: "Weather in Paris?",
      tools: [weatherTool],
      reasoning: { effort: "medium", summary: "auto" },
    });
    const call = response.output.find((item) => item.type === "function_call");
    expect(call).toEqual({
      id: "fc_68c1f1b4c5f68193c7d4e9f0a1b2c3d50c4d5e6f7a8b9c0d",
      type: "function_call",
      status: "completed",
      arguments: '{"location":"Paris, France"}',
      call_id: "call_8Jx2N5rQvW3kLp0aTzYb1cDe",
      name: "get_weather",
    });
    expect(response.output[0]?.type).toBe("reasoning");
    expect(response.output_text).toBe("");
    expect(openAiUpstream.requests[0]?.body).toEqual({
      model: "gpt-4.1-2025-04-14",
      input: "Weather in Paris?",
      tools: [weatherTool],
      reasoning: { effort: "medium", summary: "auto" },
    });
    expect(await lastLogRow("gpt-house")).toMatchObject({
      inputTokens: 1812,
      cachedTokens: 1536,
      outputTokens: 215,
      reasoningTokens: 192,
    });
  });

  it("answers an unknown key with an OpenAI error object carrying the catalog code", async () => {
    const failure = await gateway
      .client("sk-not-a-key")
      .responses.create({ model: "gpt-house", input: "Hi" })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.AuthenticationError);
    const error = failure as InstanceType<typeof OpenAI.AuthenticationError>;
    expect(error.status).toBe(401);
    expect(error.code).toMatch(/^GW_ERR_AUTH_/);
    expect(openAiUpstream.requests).toHaveLength(0);
  });

  it("passes an upstream 429 through with its status, body and retry-after", async () => {
    openAiUpstream.enqueue(
      answers.json(429, responsesFixture("error-429-rate-limit.json"), { "retry-after": "2" }),
    );
    const failure = await client.responses
      .create({ model: "gpt-house", input: "Hi" })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.RateLimitError);
    const error = failure as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error.status).toBe(429);
    expect(error.code).toBe("rate_limit_exceeded");
    expect(error.type).toBe("tokens");
    expect(error.headers.get("retry-after")).toBe("2");
  });

  it("ends a cut stream with an error event after the last relayed one, never response.completed", async () => {
    openAiUpstream.enqueue(answers.sseCut(responsesFixture("response-function-call.chunks.txt"), 5));
    const events = await collect(
      await client.responses.create({
        model: "gpt-house",
        input: "Weather?",
        tools: [weatherTool],
        stream: true,
      }),
    );
    expect(events.map((event) => event.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "error",
    ]);
    expect(events.at(-1)).toMatchObject({
      type: "error",
      code: "GW_ERR_STREAM_INTERRUPTED",
      param: null,
      sequence_number: 5,
    });
    expect(await lastLogRow("gpt-house")).toMatchObject({ errorCode: "GW_ERR_STREAM_INTERRUPTED" });
  });

  it("translates for an openai-compatible provider, which only speaks Chat Completions", async () => {
    const response = await client.responses.create({ model: "compat-house", input: "Hello" });
    expect(openAiUpstream.requests[0]?.url).toBe("/v1/chat/completions");
    expect(openAiUpstream.requests[0]?.body).toMatchObject({
      model: "gpt-4o-2024-08-06",
      messages: [{ role: "user", content: "Hello" }],
    });
    expect(response.object).toBe("response");
    expect(response.output_text.length).toBeGreaterThan(0);
  });
});

describe("Responses → anthropic provider (translated)", () => {
  it("translates a text turn: instructions, max_output_tokens, usage with cached tokens", async () => {
    const response = await client.responses.create({
      model: "claude-house",
      instructions: "Be brief.",
      input: [{ role: "user", content: "Hello" }],
      max_output_tokens: 100,
    });
    expect(response.id).toBe("resp_msg_01XFDUDYJgAACzvnptvVoYEL");
    expect(response.object).toBe("response");
    expect(response.status).toBe("completed");
    expect(response.incomplete_details).toBeNull();
    expect(response.model).toBe("claude-sonnet-4-5-20250929");
    expect(response.output_text).toBe("Hello! How can I help you today?");
    expect(response.output).toHaveLength(1);
    expect(response.output[0]).toMatchObject({ type: "message", role: "assistant", status: "completed" });
    expect(response.usage?.input_tokens).toBe(2060);
    expect(response.usage?.input_tokens_details.cached_tokens).toBe(2048);
    expect(response.usage?.output_tokens).toBe(12);
    expect(response.usage?.total_tokens).toBe(2072);
    expect(claude.requests[0]?.url).toBe("/v1/messages");
    expect(claude.requests[0]?.body).toEqual({
      model: "claude-sonnet-4-5-20250929",
      system: "Be brief.",
      messages: [{ role: "user", content: [{ type: "text", text: "Hello" }] }],
      max_tokens: 100,
    });
    expect(await lastLogRow("claude-house")).toMatchObject({
      endpoint: "responses",
      target: "claude/claude-sonnet-4-5-20250929",
      inputTokens: 2060,
      cachedTokens: 2048,
      outputTokens: 12,
    });
  });

  it("lists what the translation dropped in x-switchyard-warnings and the request log", async () => {
    const { response } = await client.responses
      .create({
        model: "claude-house",
        input: "Hello",
        store: true,
        metadata: { team: "search" },
        max_output_tokens: 50,
      })
      .withResponse();
    const expected =
      "store is not honoured: a translated response is not stored; metadata is not translated, dropped";
    expect(response.headers.get("x-switchyard-warnings")).toBe(expected);
    expect(await lastLogRow("claude-house")).toMatchObject({ endpoint: "responses", warnings: expected });
  });

  it("streams text as output_text deltas ending in response.completed with usage", async () => {
    const events = await collect(
      await client.responses.create({ model: "claude-house", input: "Hello", stream: true }),
    );
    expect(events[0]?.type).toBe("response.created");
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_event, index) => index));
    const last = events.at(-1);
    if (last?.type !== "response.completed") throw new Error(`ended with ${last?.type}`);
    expect(deltasOf(events)).toBe("Hello! How can I help you today?");
    expect(last.response.output_text ?? deltasOf(events)).toBe("Hello! How can I help you today?");
    expect(last.response.usage?.input_tokens).toBeGreaterThan(0);
    expect(last.response.usage?.output_tokens).toBeGreaterThan(0);
    const row = await lastLogRow("claude-house");
    expect(row).toMatchObject({ endpoint: "responses", inputTokens: last.response.usage?.input_tokens });
  });

  it("ends a translated stream cut by the provider with an error event, never response.completed", async () => {
    const frames = anthropicFixture("message-text.chunks.txt").split("\n\n");
    claude.enqueue((_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
      response.write(`${frames.slice(0, 5).join("\n\n")}\n\n`, () => response.destroy());
    });
    const events = await collect(
      await client.responses.create({ model: "claude-house", input: "Hello", stream: true }),
    );
    expect(deltasOf(events)).toBe("Hello! How can I help");
    const last = events.at(-1);
    expect(last).toMatchObject({
      type: "error",
      code: "GW_ERR_STREAM_INTERRUPTED",
      sequence_number: events.length - 1,
    });
    expect(events.some((event) => event.type === "response.completed")).toBe(false);
    expect(await lastLogRow("claude-house")).toMatchObject({ errorCode: "GW_ERR_STREAM_INTERRUPTED" });
  });

  it("completes a tool round trip with function_call_output, keeping call ids and reasoning", async () => {
    const first = await client.responses.create({
      model: "claude-house",
      input: "Weather in SF and Paris?",
      tools: [weatherTool],
      max_output_tokens: 500,
    });
    const calls = first.output.filter((item) => item.type === "function_call");
    expect(calls.map((call) => [call.call_id, call.name, JSON.parse(call.arguments)])).toEqual([
      ["toolu_01A09q90qw90lq917835lq9", "get_weather", { location: "San Francisco, CA", unit: "celsius" }],
      ["toolu_01B19r01rx01mr028946mr0", "get_weather", { location: "Paris, France", unit: "celsius" }],
    ]);
    expect(first.output[0]).toMatchObject({ type: "reasoning" });
    const input: ResponseInputItem[] = [
      { role: "user", content: "Weather in SF and Paris?" },
      ...(first.output as ResponseInputItem[]),
      { type: "function_call_output", call_id: calls[0]?.call_id ?? "", output: "15 degrees" },
      { type: "function_call_output", call_id: calls[1]?.call_id ?? "", output: "22 degrees" },
    ];
    const second = await client.responses.create({
      model: "claude-house",
      input,
      tools: [weatherTool],
      max_output_tokens: 500,
    });
    expect(second.output_text).toBe("Hello! How can I help you today?");
    expect(claude.requests[1]?.body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Weather in SF and Paris?" }] },
      {
        role: "assistant",
        content: [
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

  it("streams tool calls that the SDK's own accumulator assembles (responses.stream)", async () => {
    const stream = client.responses.stream({
      model: "claude-house",
      input: "Weather in SF and Paris?",
      tools: [weatherTool],
    });
    const final = await stream.finalResponse();
    const calls = final.output.filter((item) => item.type === "function_call");
    expect(calls.map((call) => [call.call_id, JSON.parse(call.arguments)])).toEqual([
      ["toolu_01A09q90qw90lq917835lq9", { location: "San Francisco, CA", unit: "celsius" }],
      ["toolu_01B19r01rx01mr028946mr0", { location: "Paris, France", unit: "celsius" }],
    ]);
    expect(final.status).toBe("completed");
  });

  it("maps an Anthropic 529 to an OpenAI error with the upstream status and message", async () => {
    claude.enqueue(anthropicAnswers.json(529, anthropicFixture("error-529-overloaded.json")));
    const failure = await client.responses
      .create({ model: "claude-house", input: "hi" })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.InternalServerError);
    const error = failure as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(529);
    expect(error.error).toEqual({ message: "Overloaded", type: "overloaded_error", param: null, code: null });
  });

  it.each([
    [{ previous_response_id: "resp_abc" }, "previous_response_id"],
    [{ tools: [{ type: "web_search" as const }] }, "web_search"],
  ])("refuses %j with a 400 naming the feature, before calling the provider", async (extra, words) => {
    const failure = await client.responses
      .create({ model: "claude-house", input: "hi", ...extra })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    const error = failure as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error.code).toBe("GW_ERR_TRANSLATION_UNSUPPORTED");
    expect(error.message).toContain(words);
    expect(claude.requests).toHaveLength(0);
  });

  it("refuses a malformed body with a 400 OpenAI error naming the field", async () => {
    const failure = await client.responses
      .create({ model: "claude-house", input: 42 as unknown as string })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    const error = failure as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error.code).toBe("GW_ERR_REQUEST_INVALID_BODY");
    expect(error.param).toBe("input");
    expect(error.type).toBe("invalid_request_error");
    expect(claude.requests).toHaveLength(0);
  });
});

describe("Responses → simulator (translated to Chat Completions)", () => {
  it("answers a text turn and a stream whose deltas make the final text", async () => {
    const response = await client.responses.create({ model: "sim-small", input: "Say something." });
    expect(response.object).toBe("response");
    expect(response.status).toBe("completed");
    expect(response.output_text.length).toBeGreaterThan(0);
    expect(response.usage?.input_tokens).toBeGreaterThan(0);
    expect(response.usage?.output_tokens).toBeGreaterThan(0);

    const events = await collect(
      await client.responses.create({ model: "sim-small", input: "Again.", stream: true }),
    );
    const last = events.at(-1);
    if (last?.type !== "response.completed") throw new Error(`ended with ${last?.type}`);
    const message = last.response.output.find((item) => item.type === "message");
    const text =
      message?.type === "message"
        ? message.content.map((part) => (part.type === "output_text" ? part.text : "")).join("")
        : "";
    expect(text).toBe(deltasOf(events));
    expect(text.length).toBeGreaterThan(0);
    expect(last.response.usage?.output_tokens).toBeGreaterThan(0);
    expect(await lastLogRow("sim-small")).toMatchObject({
      endpoint: "responses",
      outputTokens: last.response.usage?.output_tokens,
    });
  });
});
