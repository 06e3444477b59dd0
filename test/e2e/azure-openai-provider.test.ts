import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  azureAnswers,
  azureFixture,
  type MockAzureOpenAiUpstream,
  startMockAzureOpenAiUpstream,
} from "../support/mock-azure-openai-upstream.js";
import { readChatStream, readChatStreamUntilFailure } from "../support/read-chat-stream.js";
import { startTestGateway, type TestGateway, testMasterKey } from "../support/start-test-gateway.js";

let azure: MockAzureOpenAiUpstream;
let gateway: TestGateway;
let openAi: OpenAI;
let anthropic: Anthropic;

const resourceKey = "azure-resource-key";
const entraToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.test-entra-token";

beforeAll(async () => {
  azure = await startMockAzureOpenAiUpstream({
    deployments: ["gpt-4o-prod", "embed-small"],
    apiVersions: ["2024-10-21"],
    apiKey: resourceKey,
    entraToken,
  });
  gateway = await startTestGateway(
    `
providers:
  - name: azure
    type: azure-openai
    apiKey: \${env:AZURE_OPENAI_API_KEY}
    azure: { endpoint: "${azure.endpoint}" }
  - name: azure-v1
    type: azure-openai
    azure: { endpoint: "${azure.endpoint}", api: v1, entraToken: "${entraToken}" }
models:
  - name: gpt-4o
    targets: [{ provider: azure, model: gpt-4o-prod }]
  - name: gpt-4o-v1
    targets: [{ provider: azure-v1, model: gpt-4o }]
  - name: embed
    targets: [{ provider: azure, model: embed-small }]
resilience:
  circuitBreaker: { enabled: false }
keys:
  refreshIntervalMs: 20
requestLog:
  flushIntervalMs: 60000
`,
    { AZURE_OPENAI_API_KEY: resourceKey },
  );
  openAi = gateway.client();
  anthropic = new Anthropic({ baseURL: gateway.url, apiKey: testMasterKey, maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await azure.close();
});
beforeEach(() => {
  azure.requests.length = 0;
});

const deploymentUrl = (deployment: string, operation: string) =>
  `/openai/deployments/${deployment}/${operation}?api-version=2024-10-21`;

const weatherFunction: OpenAI.ChatCompletionTool = {
  type: "function",
  function: {
    name: "get_weather",
    parameters: { type: "object", properties: { location: { type: "string" } } },
  },
};

const rateLimited = () =>
  azureAnswers.json(429, azureFixture("error-429-rate-limit.json"), {
    "retry-after": "6",
    "retry-after-ms": "6000",
  });

async function lastLogRow(model: string) {
  await gateway.running.flushRequestLog();
  const [row] = await gateway.running.storage.requestLogs.query({ model, limit: 1 });
  return row;
}

describe("OpenAI SDK → azure-openai (passthrough)", () => {
  it("answers a text turn on the deployment URL with api-key; Azure's filter results pass through", async () => {
    const { data, response } = await openAi.chat.completions
      .create({ model: "gpt-4o", messages: [{ role: "user", content: "Hello" }], max_tokens: 50 })
      .withResponse();
    expect(data.id).toBe("chatcmpl-AYGk4bQ3xXw2mJp9sLr7tVnK1qZcD");
    expect(data.object).toBe("chat.completion");
    expect(data.model).toBe("gpt-4o-2024-08-06");
    expect(data.choices[0]?.message.role).toBe("assistant");
    expect(data.choices[0]?.message.content).toBe("Hello from Azure! How can I help you today?");
    expect(data.choices[0]?.finish_reason).toBe("stop");
    expect(data.usage?.prompt_tokens).toBe(1203);
    expect(data.usage?.completion_tokens).toBe(12);
    expect(data.usage?.prompt_tokens_details?.cached_tokens).toBe(1024);
    expect((data as unknown as { prompt_filter_results: unknown[] }).prompt_filter_results).toHaveLength(1);
    expect(response.headers.get("x-switchyard-target")).toBe("azure/gpt-4o-prod");

    const [seen] = azure.requests;
    expect(seen?.url).toBe(deploymentUrl("gpt-4o-prod", "chat/completions"));
    expect(seen?.headers["api-key"]).toBe(resourceKey);
    expect(seen?.headers.authorization).toBeUndefined();
    expect(seen?.body).toEqual({
      model: "gpt-4o-prod",
      messages: [{ role: "user", content: "Hello" }],
      max_tokens: 50,
    });
    expect(await lastLogRow("gpt-4o")).toMatchObject({
      inputTokens: 1203,
      cachedTokens: 1024,
      outputTokens: 12,
    });
  });

  it("streams past the prompt_filter_results chunk, with usage when asked", async () => {
    const stream = await openAi.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Hello" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const { text, finishReasons, usage, choicelessChunks: choiceless } = await readChatStream(stream);
    expect(text).toBe("Hello from Azure!");
    expect(finishReasons).toEqual(["stop"]);
    expect(choiceless).toBe(1);
    expect(usage).toMatchObject({ prompt_tokens: 1203, completion_tokens: 4, total_tokens: 1207 });
    expect(azure.requests[0]?.body.stream_options).toEqual({ include_usage: true });
  });

  it("always asks Azure for stream usage and records it, even when the client did not ask", async () => {
    const stream = await openAi.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Hello" }],
      stream: true,
    });
    let sawUsage = false;
    for await (const chunk of stream) if (chunk.usage != null) sawUsage = true;
    expect(sawUsage).toBe(false);
    expect(azure.requests[0]?.body.stream_options).toEqual({ include_usage: true });
    expect(await lastLogRow("gpt-4o")).toMatchObject({ stream: true, inputTokens: 1203, outputTokens: 4 });
  });

  it("completes a tool round trip", async () => {
    const first = await openAi.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Weather in SF and Paris?" }],
      tools: [weatherFunction],
    });
    expect(first.choices[0]?.finish_reason).toBe("tool_calls");
    const toolCalls = (first.choices[0]?.message.tool_calls ?? []).filter((call) => call.type === "function");
    expect(toolCalls.map((call) => [call.id, call.function.name, call.function.arguments])).toEqual([
      ["call_3f8QmWkZ2xRt9LbYc1NvHp0d", "get_weather", '{"location":"San Francisco, CA"}'],
      ["call_7JtXn4CqEw5sUa2GkMz8RyVb", "get_weather", '{"location":"Paris, France"}'],
    ]);
    const second = await openAi.chat.completions.create({
      model: "gpt-4o",
      tools: [weatherFunction],
      messages: [
        { role: "user", content: "Weather in SF and Paris?" },
        { role: "assistant", content: null, tool_calls: toolCalls },
        { role: "tool", tool_call_id: "call_3f8QmWkZ2xRt9LbYc1NvHp0d", content: "15 degrees" },
        { role: "tool", tool_call_id: "call_7JtXn4CqEw5sUa2GkMz8RyVb", content: "22 degrees" },
      ],
    });
    expect(second.choices[0]?.message.content).toBe("Hello from Azure! How can I help you today?");
    expect(azure.requests[1]?.url).toBe(deploymentUrl("gpt-4o-prod", "chat/completions"));
    expect(azure.requests[1]?.body.messages).toHaveLength(4);
  });

  it("passes a 429 through with its status, Azure's error body and retry-after-ms", async () => {
    azure.enqueue(rateLimited());
    const failure = await openAi.chat.completions
      .create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.RateLimitError);
    const error = failure as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error.status).toBe(429);
    expect(error.code).toBe("429");
    expect(error.message).toContain("exceeded token rate limit of your current OpenAI S0 pricing tier");
    expect(error.headers.get("retry-after-ms")).toBe("6000");
    expect(error.headers.get("retry-after")).toBe("6");
  });

  it("passes a content_filter 400 through with innererror", async () => {
    azure.enqueue(azureAnswers.json(400, azureFixture("error-400-content-filter.json")));
    const failure = await openAi.chat.completions
      .create({ model: "gpt-4o", messages: [{ role: "user", content: "something violent" }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    const error = failure as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error.code).toBe("content_filter");
    expect(error.param).toBe("prompt");
    expect(error.message).toContain("Azure OpenAI's content management policy");
    expect(error.error).toMatchObject({
      innererror: {
        code: "ResponsibleAIPolicyViolation",
        content_filter_result: { violence: { filtered: true, severity: "medium" } },
      },
    });
  });

  it("relays a content_filter finish reason unchanged", async () => {
    azure.enqueue(azureAnswers.sse(azureFixture("content-filter-finish.chunks.txt")));
    const stream = await openAi.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "How do I…" }],
      stream: true,
    });
    const { finishReasons } = await readChatStream(stream);
    expect(finishReasons).toEqual(["content_filter"]);
  });

  it("ends the stream with Azure's error event, never with [DONE], when Azure fails inside a 200 stream", async () => {
    azure.enqueue(azureAnswers.sse(azureFixture("error-in-stream.chunks.txt")));
    const stream = await openAi.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Hello" }],
      stream: true,
    });
    const { text, failure } = await readChatStreamUntilFailure(stream);
    expect(text).toBe("Hello");
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).message).toContain(
      "The server had an error while processing your request",
    );
    expect(await lastLogRow("gpt-4o")).toMatchObject({ status: 502, errorCode: "GW_ERR_UPSTREAM_ERROR" });

    azure.enqueue(azureAnswers.sse(azureFixture("error-in-stream.chunks.txt")));
    const raw = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${testMasterKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", stream: true, messages: [{ role: "user", content: "Hello" }] }),
    });
    const body = await raw.text();
    expect(body).not.toContain("[DONE]");
    expect(body.trimEnd().split("\n\n").at(-1)).toBe(
      'data: {"error":{"code":"500","message":"The server had an error while processing your request. Sorry about that!"}}',
    );
  });

  it("creates embeddings through the embeddings deployment", async () => {
    const result = await openAi.embeddings.create({ model: "embed", input: "hello" });
    expect(result.object).toBe("list");
    expect(result.model).toBe("text-embedding-3-small");
    expect(result.data).toHaveLength(1);
    expect(result.data[0]?.index).toBe(0);
    expect(result.data[0]?.embedding.map((value) => Number(value.toFixed(4)))).toEqual([
      0.0023, -0.0093, -0.0029, 0.0215,
    ]);
    expect(result.usage).toEqual({ prompt_tokens: 5, total_tokens: 5 });
    expect(azure.requests[0]?.url).toBe(deploymentUrl("embed-small", "embeddings"));
    expect(azure.requests[0]?.body).toMatchObject({ model: "embed-small", input: "hello" });
  });

  it("calls the v1 API with the model in the body and an Entra bearer token", async () => {
    const completion = await openAi.chat.completions.create({
      model: "gpt-4o-v1",
      messages: [{ role: "user", content: "Hello" }],
    });
    expect(completion.choices[0]?.message.content).toBe("Hello from Azure! How can I help you today?");
    const [seen] = azure.requests;
    expect(seen?.url).toBe("/openai/v1/chat/completions");
    expect(seen?.headers.authorization).toBe(`Bearer ${entraToken}`);
    expect(seen?.headers["api-key"]).toBeUndefined();
    expect(seen?.body.model).toBe("gpt-4o");
  });
});

describe("Anthropic SDK → azure-openai (translated)", () => {
  it("translates a text turn; usage splits cached reads out of input_tokens", async () => {
    const message = await anthropic.messages.create({
      model: "gpt-4o",
      max_tokens: 100,
      system: "Be brief.",
      messages: [{ role: "user", content: "Hello" }],
    });
    expect(message.type).toBe("message");
    expect(message.id).toBe("msg_chatcmpl-AYGk4bQ3xXw2mJp9sLr7tVnK1qZcD");
    expect(message.model).toBe("gpt-4o-2024-08-06");
    expect(message.content).toEqual([{ type: "text", text: "Hello from Azure! How can I help you today?" }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toEqual({
      input_tokens: 179,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 1024,
      output_tokens: 12,
    });
    const [seen] = azure.requests;
    expect(seen?.url).toBe(deploymentUrl("gpt-4o-prod", "chat/completions"));
    expect(seen?.headers["api-key"]).toBe(resourceKey);
    expect(seen?.body).toEqual({
      model: "gpt-4o-prod",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hello" },
      ],
      max_completion_tokens: 100,
    });
  });

  it("streams a message the SDK assembles, with usage", async () => {
    const message = await anthropic.messages
      .stream({ model: "gpt-4o", max_tokens: 100, messages: [{ role: "user", content: "Hello" }] })
      .finalMessage();
    expect(message.content).toEqual([{ type: "text", text: "Hello from Azure!" }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.output_tokens).toBe(4);
    expect(message.usage.cache_read_input_tokens).toBe(1024);
    expect(azure.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it("completes a tool round trip: tool_result blocks become tool messages", async () => {
    const tools: Anthropic.Tool[] = [
      { name: "get_weather", input_schema: { type: "object", properties: { location: { type: "string" } } } },
    ];
    const first = await anthropic.messages.create({
      model: "gpt-4o",
      max_tokens: 200,
      tools,
      messages: [{ role: "user", content: "Weather in SF and Paris?" }],
    });
    expect(first.stop_reason).toBe("tool_use");
    expect(first.content).toEqual([
      {
        type: "tool_use",
        id: "call_3f8QmWkZ2xRt9LbYc1NvHp0d",
        name: "get_weather",
        input: { location: "San Francisco, CA" },
      },
      {
        type: "tool_use",
        id: "call_7JtXn4CqEw5sUa2GkMz8RyVb",
        name: "get_weather",
        input: { location: "Paris, France" },
      },
    ]);
    const second = await anthropic.messages.create({
      model: "gpt-4o",
      max_tokens: 200,
      tools,
      messages: [
        { role: "user", content: "Weather in SF and Paris?" },
        { role: "assistant", content: first.content },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "call_3f8QmWkZ2xRt9LbYc1NvHp0d", content: "15 degrees" },
            { type: "tool_result", tool_use_id: "call_7JtXn4CqEw5sUa2GkMz8RyVb", content: "22 degrees" },
          ],
        },
      ],
    });
    expect(second.content).toEqual([{ type: "text", text: "Hello from Azure! How can I help you today?" }]);
    expect(azure.requests[1]?.body.messages).toEqual([
      { role: "user", content: "Weather in SF and Paris?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_3f8QmWkZ2xRt9LbYc1NvHp0d",
            type: "function",
            function: { name: "get_weather", arguments: '{"location":"San Francisco, CA"}' },
          },
          {
            id: "call_7JtXn4CqEw5sUa2GkMz8RyVb",
            type: "function",
            function: { name: "get_weather", arguments: '{"location":"Paris, France"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_3f8QmWkZ2xRt9LbYc1NvHp0d", content: "15 degrees" },
      { role: "tool", tool_call_id: "call_7JtXn4CqEw5sUa2GkMz8RyVb", content: "22 degrees" },
    ]);
  });

  it("maps a 429 to rate_limit_error with Azure's message and retry-after-ms kept", async () => {
    azure.enqueue(rateLimited());
    const failure = await anthropic.messages
      .create({ model: "gpt-4o", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.RateLimitError);
    const error = failure as InstanceType<typeof Anthropic.RateLimitError>;
    expect(error.status).toBe(429);
    expect(error.error).toEqual({
      type: "error",
      error: {
        type: "rate_limit_error",
        message: JSON.parse(azureFixture("error-429-rate-limit.json")).error.message,
      },
    });
    expect(error.headers.get("retry-after-ms")).toBe("6000");
  });

  it("maps a content_filter 400 to invalid_request_error with Azure's message", async () => {
    azure.enqueue(azureAnswers.json(400, azureFixture("error-400-content-filter.json")));
    const failure = await anthropic.messages
      .create({ model: "gpt-4o", max_tokens: 10, messages: [{ role: "user", content: "something violent" }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.BadRequestError);
    const error = failure as InstanceType<typeof Anthropic.BadRequestError>;
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error", message: expect.stringContaining("content management policy") },
    });
  });

  it("maps a content_filter finish to stop_reason refusal", async () => {
    azure.enqueue(azureAnswers.sse(azureFixture("content-filter-finish.chunks.txt")));
    const message = await anthropic.messages
      .stream({ model: "gpt-4o", max_tokens: 100, messages: [{ role: "user", content: "How do I…" }] })
      .finalMessage();
    expect(message.content).toEqual([{ type: "text", text: "Here is how" }]);
    expect(message.stop_reason).toBe("refusal");
  });

  it("ends the stream with event: error when Azure fails inside a 200 stream; the SDK raises it", async () => {
    azure.enqueue(azureAnswers.sse(azureFixture("error-in-stream.chunks.txt")));
    const failure = await anthropic.messages
      .stream({ model: "gpt-4o", max_tokens: 100, messages: [{ role: "user", content: "Hello" }] })
      .finalMessage()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect((failure as InstanceType<typeof Anthropic.APIError>).error).toEqual({
      type: "error",
      error: {
        type: "api_error",
        message: "The server had an error while processing your request. Sorry about that!",
      },
    });
    expect(await lastLogRow("gpt-4o")).toMatchObject({ status: 502, errorCode: "GW_ERR_UPSTREAM_ERROR" });
  });
});

describe("OpenAI Responses → azure-openai (passthrough on Azure's v1 surface)", () => {
  it("sends a Responses request to /openai/v1/responses with the deployment as model, whatever the URL style", async () => {
    const { data, response } = await openAi.responses
      .create({ model: "gpt-4o", input: "Tell me a three sentence bedtime story about a unicorn." })
      .withResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get("x-switchyard-target")).toBe("azure/gpt-4o-prod");
    expect(data.object).toBe("response");
    expect(data.output_text).toContain("unicorn");
    expect(data.usage?.input_tokens).toBeGreaterThan(0);
    const sent = azure.requests[0];
    expect(sent?.url).toBe("/openai/v1/responses");
    expect(sent?.headers["api-key"]).toBe(resourceKey);
    expect(sent?.body.model).toBe("gpt-4o-prod");
    expect(sent?.body.input).toBe("Tell me a three sentence bedtime story about a unicorn.");
  });

  it("relays a Responses stream event by event", async () => {
    const stream = await openAi.responses.create({
      model: "gpt-4o",
      input: "Tell me a three sentence bedtime story about a unicorn.",
      stream: true,
    });
    const types: string[] = [];
    let text = "";
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.output_text.delta") text += event.delta;
    }
    expect(types[0]).toBe("response.created");
    expect(types.at(-1)).toBe("response.completed");
    expect(text).toBe("Hi there! How can I help?");
    expect(azure.requests[0]?.url).toBe("/openai/v1/responses");
    expect(azure.requests[0]?.body.stream).toBe(true);
  });
});
