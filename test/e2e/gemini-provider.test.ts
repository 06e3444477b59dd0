import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  geminiAnswers,
  geminiFixture,
  type MockGeminiUpstream,
  startMockGeminiUpstream,
} from "../support/mock-gemini-upstream.js";
import { readChatStream, readChatStreamUntilFailure } from "../support/read-chat-stream.js";
import { startTestGateway, type TestGateway, testMasterKey } from "../support/start-test-gateway.js";

let gemini: MockGeminiUpstream;
let gateway: TestGateway;
let openAi: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  gemini = await startMockGeminiUpstream();
  gateway = await startTestGateway(`
providers:
  - name: gem
    type: gemini
    baseUrl: ${gemini.url}
    apiKey: gemini-upstream-secret
  - name: gem-vertex
    type: gemini
    baseUrl: ${gemini.vertexUrl("my-project-123", "us-central1")}
    apiKey: ya29.vertex-access-token
    vertex: { project: my-project-123, location: us-central1 }
models:
  - name: gemini-house
    targets:
      - provider: gem
        model: gemini-2.5-flash
  - name: gemini-embed
    targets:
      - provider: gem
        model: gemini-embedding-001
  - name: gemini-vertex
    targets:
      - provider: gem-vertex
        model: gemini-2.5-flash
  - name: "*"
    targets:
      - provider: gem
keys:
  refreshIntervalMs: 20
requestLog:
  flushIntervalMs: 60000
`);
  openAi = gateway.client();
  anthropic = new Anthropic({ baseURL: gateway.url, apiKey: testMasterKey, maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await gemini.close();
});
beforeEach(() => {
  gemini.requests.length = 0;
});

const weatherFunction: OpenAI.ChatCompletionTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather for a location",
    parameters: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
  },
};
const weatherTool: Anthropic.Tool = {
  name: "get_weather",
  description: "Current weather for a location",
  input_schema: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
};
const firstCallId = "call_aDUpaZ-YF8n0nsEPl_mJ-Q4_0";
const secondCallId = "call_aDUpaZ-YF8n0nsEPl_mJ-Q4_1";

describe("OpenAI SDK → gemini provider", () => {
  it("translates a text turn: system, sampling, max tokens, usage with cached and reasoning tokens", async () => {
    const data = await openAi.chat.completions.create({
      model: "gemini-house",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hello" },
      ],
      max_tokens: 100,
      temperature: 0.3,
      top_p: 0.8,
      stop: ["END"],
    });
    expect(data.object).toBe("chat.completion");
    expect(data.id).toBe("chatcmpl-TjMpaYXSBLbjnsEP6aWq0Qo");
    expect(data.model).toBe("gemini-2.5-flash");
    expect(data.choices).toHaveLength(1);
    expect(data.choices[0]?.message.role).toBe("assistant");
    expect(data.choices[0]?.message.content).toBe("Hello! How can I help you today?");
    expect(data.choices[0]?.finish_reason).toBe("stop");
    expect(data.usage?.prompt_tokens).toBe(2071);
    expect(data.usage?.completion_tokens).toBe(33);
    expect(data.usage?.total_tokens).toBe(2104);
    expect(data.usage?.prompt_tokens_details?.cached_tokens).toBe(2048);
    expect(data.usage?.completion_tokens_details?.reasoning_tokens).toBe(24);

    const [seen] = gemini.requests;
    expect(seen?.method).toBe("POST");
    expect(seen?.url).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(seen?.headers["x-goog-api-key"]).toBe("gemini-upstream-secret");
    expect(seen?.headers.authorization).toBeUndefined();
    expect(seen?.body).toEqual({
      contents: [{ role: "user", parts: [{ text: "Hello" }] }],
      systemInstruction: { parts: [{ text: "Be brief." }] },
      generationConfig: { maxOutputTokens: 100, temperature: 0.3, topP: 0.8, stopSequences: ["END"] },
    });
  });

  it("streams text from :streamGenerateContent?alt=sse with finish reason and usage", async () => {
    const stream = await openAi.chat.completions.create({
      model: "gemini-house",
      messages: [{ role: "user", content: "Hello" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const { id, text, finishReasons, usage } = await readChatStream(stream);
    expect(id).toBe("chatcmpl-BDwpafPKM_HjnsEPq6_RgQg");
    expect(text).toBe("Hello! How can I help you today?");
    expect(finishReasons).toEqual(["stop"]);
    expect(usage).toMatchObject({ prompt_tokens: 8, completion_tokens: 30, total_tokens: 38 });
    expect(gemini.requests[0]?.url).toBe("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    expect(gemini.requests[0]?.body).toEqual({ contents: [{ role: "user", parts: [{ text: "Hello" }] }] });
  });

  it("completes a parallel tool round trip: synthesised ids map tool results back to function names", async () => {
    const first = await openAi.chat.completions.create({
      model: "gemini-house",
      messages: [{ role: "user", content: "Weather in SF and Paris?" }],
      tools: [weatherFunction],
      tool_choice: "required",
    });
    expect(first.choices[0]?.finish_reason).toBe("tool_calls");
    const toolCalls = (first.choices[0]?.message.tool_calls ?? []).filter((call) => call.type === "function");
    expect(toolCalls).toEqual([
      {
        id: firstCallId,
        type: "function",
        function: { name: "get_weather", arguments: '{"location":"San Francisco, CA"}' },
      },
      {
        id: secondCallId,
        type: "function",
        function: { name: "get_weather", arguments: '{"location":"Paris, France"}' },
      },
    ]);
    expect(gemini.requests[0]?.body).toMatchObject({
      tools: [
        {
          functionDeclarations: [
            {
              name: "get_weather",
              description: "Current weather for a location",
              parametersJsonSchema: weatherFunction.function.parameters,
            },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: "ANY" } },
    });

    const second = await openAi.chat.completions.create({
      model: "gemini-house",
      tools: [weatherFunction],
      messages: [
        { role: "user", content: "Weather in SF and Paris?" },
        { role: "assistant", content: null, tool_calls: toolCalls },
        { role: "tool", tool_call_id: firstCallId, content: '{"temperature":15}' },
        { role: "tool", tool_call_id: secondCallId, content: "22 degrees" },
      ],
    });
    expect(second.choices[0]?.message.content).toBe("Hello! How can I help you today?");
    expect(second.choices[0]?.finish_reason).toBe("stop");
    expect(gemini.requests[1]?.body.contents).toEqual([
      { role: "user", parts: [{ text: "Weather in SF and Paris?" }] },
      {
        role: "model",
        parts: [
          { functionCall: { name: "get_weather", args: { location: "San Francisco, CA" } } },
          { functionCall: { name: "get_weather", args: { location: "Paris, France" } } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "get_weather", response: { temperature: 15 } } },
          { functionResponse: { name: "get_weather", response: { content: "22 degrees" } } },
        ],
      },
    ]);
  });

  it("streams function calls reassembled per index", async () => {
    const stream = await openAi.chat.completions.create({
      model: "gemini-house",
      messages: [{ role: "user", content: "Weather in SF and Paris?" }],
      tools: [weatherFunction],
      stream: true,
    });
    const { toolCalls: calls, finishReasons } = await readChatStream(stream);
    expect(calls).toEqual([
      {
        id: "call_WD0paa7YD8PnnsEP3tTv6Qw_0",
        name: "get_weather",
        arguments: '{"location":"San Francisco, CA"}',
      },
      {
        id: "call_WD0paa7YD8PnnsEP3tTv6Qw_1",
        name: "get_weather",
        arguments: '{"location":"Paris, France"}',
      },
    ]);
    expect(finishReasons).toEqual(["tool_calls"]);
  });

  it("maps 429 RESOURCE_EXHAUSTED and 400 INVALID_ARGUMENT to OpenAI errors with status and message", async () => {
    gemini.enqueue(geminiAnswers.json(429, geminiFixture("error-429-resource-exhausted.json")));
    const limited = await openAi.chat.completions
      .create({ model: "gemini-house", messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    const rateError = limited as InstanceType<typeof OpenAI.APIError>;
    expect(rateError.status).toBe(429);
    expect(rateError.headers?.get("retry-after-ms")).toBe("21000");
    expect(rateError.error).toEqual({
      message:
        "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
      type: "rate_limit_error",
      param: null,
      code: null,
    });

    gemini.enqueue(geminiAnswers.json(400, geminiFixture("error-400-api-key-invalid.json")));
    const invalid = await openAi.chat.completions
      .create({ model: "gemini-house", messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(OpenAI.BadRequestError);
    const badRequest = invalid as InstanceType<typeof OpenAI.APIError>;
    expect(badRequest.status).toBe(400);
    expect(badRequest.error).toMatchObject({
      message: "API key not valid. Please pass a valid API key.",
      type: "invalid_request_error",
    });
  });

  it("signals a stream that stops before Gemini's finishing chunk as an error, never as a clean end", async () => {
    gemini.enqueue(geminiAnswers.sse(geminiFixture("stream-cut.chunks.txt")));
    const stream = await openAi.chat.completions.create({
      model: "gemini-house",
      messages: [{ role: "user", content: "Hello" }],
      stream: true,
    });
    const { text, failure } = await readChatStreamUntilFailure(stream);
    expect(text).toBe("Hello! How can I help");
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(failure).toMatchObject({ code: "GW_ERR_STREAM_INTERRUPTED" });
  });

  it("sends JSON-schema output, a base64 image and a named tool choice the way Gemini takes them", async () => {
    const schema = {
      type: "object",
      properties: { caption: { type: "string" } },
      required: ["caption"],
      additionalProperties: false,
    };
    const { response } = await openAi.chat.completions
      .create({
        model: "gemini-house",
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "Caption this." },
              { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            ],
          },
        ],
        response_format: { type: "json_schema", json_schema: { name: "caption", schema, strict: true } },
        tools: [weatherFunction],
        tool_choice: { type: "function", function: { name: "get_weather" } },
        user: "user-42",
      })
      .withResponse();
    expect(response.headers.get("x-switchyard-warnings")).toBe(
      "user has no Gemini equivalent, dropped; response_format strict is not enforced by Gemini",
    );
    expect(gemini.requests[0]?.body).toMatchObject({
      contents: [
        {
          role: "user",
          parts: [{ text: "Caption this." }, { inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } }],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["get_weather"] } },
      generationConfig: { responseMimeType: "application/json", responseJsonSchema: schema },
    });
  });

  it("refuses n > 1 with a 400 naming the feature, before calling Gemini", async () => {
    const failure = await openAi.chat.completions
      .create({ model: "gemini-house", n: 2, messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).message).toContain("n=2");
    expect(gemini.requests).toHaveLength(0);
  });

  it("embeds through :batchEmbedContents, with dimensions, base64 decoding in the SDK and estimated usage", async () => {
    const { data, response } = await openAi.embeddings
      .create({ model: "gemini-embed", input: ["first text", "second text"], dimensions: 4 })
      .withResponse();
    expect(data.object).toBe("list");
    expect(data.model).toBe("gemini-embedding-001");
    expect(data.data.map((item) => item.index)).toEqual([0, 1]);
    expect(data.data[0]?.embedding).toEqual([0.25, -0.5, 0.125, 1]);
    expect(data.data[1]?.embedding).toEqual([0.5, -0.5, 0.125, 1]);
    expect(data.usage.prompt_tokens).toBe(4);
    expect(data.usage.total_tokens).toBe(4);
    expect(response.headers.get("x-switchyard-warnings")).toBe(
      "usage estimated locally: Gemini reports no embedding token counts",
    );
    const [seen] = gemini.requests;
    expect(seen?.url).toBe("/v1beta/models/gemini-embedding-001:batchEmbedContents");
    expect(seen?.headers["x-goog-api-key"]).toBe("gemini-upstream-secret");
    expect(seen?.body).toEqual({
      requests: [
        {
          model: "models/gemini-embedding-001",
          content: { parts: [{ text: "first text" }] },
          outputDimensionality: 4,
        },
        {
          model: "models/gemini-embedding-001",
          content: { parts: [{ text: "second text" }] },
          outputDimensionality: 4,
        },
      ],
    });
  });

  it("maps an embeddings error to an OpenAI error", async () => {
    gemini.enqueue(geminiAnswers.json(429, geminiFixture("error-429-resource-exhausted.json")));
    const failure = await openAi.embeddings
      .create({ model: "gemini-embed", input: "text", encoding_format: "float" })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.RateLimitError);
    const error = failure as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(429);
    expect(error.headers?.get("retry-after-ms")).toBe("21000");
    expect(error.error).toMatchObject({
      type: "rate_limit_error",
      message: expect.stringContaining("You exceeded your current quota"),
    });
  });

  it("lists Gemini's models without the models/ prefix on the catch-all route", async () => {
    const models = await openAi.models.list();
    const ids = models.data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(["gemini-house", "gemini-2.5-flash", "gemini-embedding-001"]));
    const listing = gemini.requests.find((request) => request.method === "GET");
    expect(listing?.url).toBe("/v1beta/models?pageSize=1000");
    expect(listing?.headers["x-goog-api-key"]).toBe("gemini-upstream-secret");
  });

  it("reaches Gemini on Vertex AI with a bearer access token and the publisher model URL", async () => {
    const data = await openAi.chat.completions.create({
      model: "gemini-vertex",
      messages: [{ role: "user", content: "Hello" }],
    });
    expect(data.choices[0]?.message.content).toBe("Hello! How can I help you today?");
    const [seen] = gemini.requests;
    expect(seen?.url).toBe(
      "/v1/projects/my-project-123/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent",
    );
    expect(seen?.headers.authorization).toBe("Bearer ya29.vertex-access-token");
    expect(seen?.headers["x-goog-api-key"]).toBeUndefined();
  });
});

describe("Anthropic SDK → gemini provider", () => {
  it("translates a text turn; usage splits cached reads out of input_tokens", async () => {
    const message = await anthropic.messages.create({
      model: "gemini-house",
      max_tokens: 256,
      system: "Be brief.",
      messages: [{ role: "user", content: "Hello" }],
    });
    expect(message.type).toBe("message");
    expect(message.role).toBe("assistant");
    expect(message.id).toBe("msg_TjMpaYXSBLbjnsEP6aWq0Qo");
    expect(message.model).toBe("gemini-2.5-flash");
    expect(message.content).toEqual([{ type: "text", text: "Hello! How can I help you today?" }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.input_tokens).toBe(23);
    expect(message.usage.cache_read_input_tokens).toBe(2048);
    expect(message.usage.output_tokens).toBe(33);
    expect(gemini.requests[0]?.body).toEqual({
      contents: [{ role: "user", parts: [{ text: "Hello" }] }],
      systemInstruction: { parts: [{ text: "Be brief." }] },
      generationConfig: { maxOutputTokens: 256 },
    });
  });

  it("streams function calls as tool_use blocks and completes the round trip with tool_result", async () => {
    const stream = anthropic.messages.stream({
      model: "gemini-house",
      max_tokens: 512,
      tools: [weatherTool],
      messages: [{ role: "user", content: "Weather in SF and Paris?" }],
    });
    const message = await stream.finalMessage();
    expect(message.stop_reason).toBe("tool_use");
    const toolUses = message.content.filter((block) => block.type === "tool_use");
    expect(toolUses).toEqual([
      {
        type: "tool_use",
        id: "call_WD0paa7YD8PnnsEP3tTv6Qw_0",
        name: "get_weather",
        input: { location: "San Francisco, CA" },
      },
      {
        type: "tool_use",
        id: "call_WD0paa7YD8PnnsEP3tTv6Qw_1",
        name: "get_weather",
        input: { location: "Paris, France" },
      },
    ]);
    // The function call's thought signature came back as a thinking block, so sending the turn back returns it.
    const thinking = message.content.find((block) => block.type === "thinking");
    expect(thinking).toMatchObject({
      signature: "CiQB0e2Kb2m7Xk1yq0S8h3k4bXcV0r3ZzqL3lYcQm8nq0a5yXtsKZQHR7Ypv",
    });
    expect(message.usage).toMatchObject({ input_tokens: 71, output_tokens: 118 });
    expect(gemini.requests[0]?.url).toBe("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");

    const answer = await anthropic.messages.create({
      model: "gemini-house",
      max_tokens: 512,
      tools: [weatherTool],
      messages: [
        { role: "user", content: "Weather in SF and Paris?" },
        { role: "assistant", content: message.content },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "call_WD0paa7YD8PnnsEP3tTv6Qw_0", content: "15 degrees" },
            {
              type: "tool_result",
              tool_use_id: "call_WD0paa7YD8PnnsEP3tTv6Qw_1",
              content: "city not found",
              is_error: true,
            },
          ],
        },
      ],
    });
    expect(answer.content).toEqual([{ type: "text", text: "Hello! How can I help you today?" }]);
    expect(answer.stop_reason).toBe("end_turn");
    expect(gemini.requests[1]?.body.contents).toEqual([
      { role: "user", parts: [{ text: "Weather in SF and Paris?" }] },
      {
        role: "model",
        parts: [
          {
            functionCall: { name: "get_weather", args: { location: "San Francisco, CA" } },
            thoughtSignature: "CiQB0e2Kb2m7Xk1yq0S8h3k4bXcV0r3ZzqL3lYcQm8nq0a5yXtsKZQHR7Ypv",
          },
          { functionCall: { name: "get_weather", args: { location: "Paris, France" } } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "get_weather", response: { content: "15 degrees" } } },
          { functionResponse: { name: "get_weather", response: { error: "city not found" } } },
        ],
      },
    ]);
  });

  it("streams text events the SDK assembles", async () => {
    const stream = anthropic.messages.stream({
      model: "gemini-house",
      max_tokens: 64,
      messages: [{ role: "user", content: "Hello" }],
    });
    let text = "";
    stream.on("text", (delta) => {
      text += delta;
    });
    const message = await stream.finalMessage();
    expect(text).toBe("Hello! How can I help you today?");
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toMatchObject({ input_tokens: 8, output_tokens: 30 });
  });

  it("counts tokens with Gemini's :countTokens over the whole request", async () => {
    const count = await anthropic.messages.countTokens({
      model: "gemini-house",
      system: "Be brief.",
      messages: [{ role: "user", content: "Hello" }],
    });
    expect(count).toEqual({ input_tokens: 31 });
    const [seen] = gemini.requests;
    expect(seen?.url).toBe("/v1beta/models/gemini-2.5-flash:countTokens");
    expect(seen?.headers["x-goog-api-key"]).toBe("gemini-upstream-secret");
    expect(seen?.body).toEqual({
      generateContentRequest: {
        model: "models/gemini-2.5-flash",
        contents: [{ role: "user", parts: [{ text: "Hello" }] }],
        systemInstruction: { parts: [{ text: "Be brief." }] },
      },
    });

    gemini.enqueue(geminiAnswers.json(400, geminiFixture("error-400-invalid-argument.json")));
    const failure = await anthropic.messages
      .countTokens({ model: "gemini-house", messages: [{ role: "user", content: "Hello" }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.BadRequestError);
    expect((failure as InstanceType<typeof Anthropic.APIError>).error).toEqual({
      type: "error",
      error: {
        type: "invalid_request_error",
        message: "* GenerateContentRequest.contents: contents is not specified\n",
      },
    });
  });

  it("maps 429 RESOURCE_EXHAUSTED and 400 INVALID_ARGUMENT to Anthropic errors with status and message", async () => {
    gemini.enqueue(geminiAnswers.json(429, geminiFixture("error-429-resource-exhausted.json")));
    const limited = await anthropic.messages
      .create({ model: "gemini-house", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    const rateError = limited as InstanceType<typeof Anthropic.APIError>;
    expect(rateError.status).toBe(429);
    expect(rateError.headers?.get("retry-after-ms")).toBe("21000");
    expect(rateError.error).toEqual({
      type: "error",
      error: {
        type: "rate_limit_error",
        message:
          "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
      },
    });

    gemini.enqueue(geminiAnswers.json(400, geminiFixture("error-400-invalid-argument.json")));
    const invalid = await anthropic.messages
      .create({ model: "gemini-house", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(Anthropic.BadRequestError);
    expect((invalid as InstanceType<typeof Anthropic.APIError>).error).toEqual({
      type: "error",
      error: {
        type: "invalid_request_error",
        message: "* GenerateContentRequest.contents: contents is not specified\n",
      },
    });
  });
});
