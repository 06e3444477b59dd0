import Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type MockOpenAiUpstream, startMockOpenAiUpstream } from "../support/mock-openai-upstream.js";
import { startTestGateway, type TestGateway, testMasterKey } from "../support/start-test-gateway.js";

let compatible: MockOpenAiUpstream;
let gateway: TestGateway;
let openAi: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  compatible = await startMockOpenAiUpstream();
  gateway = await startTestGateway(
    `
providers:
  - { name: ollama, type: openai-compatible, preset: ollama, baseUrl: "${compatible.url}" }
  - { name: mistral, type: openai-compatible, preset: mistral, baseUrl: "${compatible.url}" }
  - { name: groq, type: openai-compatible, preset: groq, baseUrl: "${compatible.url}" }
models:
  - name: llama
    targets: [{ provider: ollama, model: "llama3.2" }]
  - name: nomic
    targets: [{ provider: ollama, model: nomic-embed-text }]
  - name: mistral-small
    targets: [{ provider: mistral, model: mistral-small-latest }]
  - name: llama-fast
    targets: [{ provider: groq, model: llama-3.3-70b-versatile }]
keys:
  refreshIntervalMs: 20
requestLog:
  flushIntervalMs: 60000
`,
    { MISTRAL_API_KEY: "mistral-secret", GROQ_API_KEY: "gsk_test" },
  );
  openAi = gateway.client();
  anthropic = new Anthropic({ baseURL: gateway.url, apiKey: testMasterKey, maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await compatible.close();
});
beforeEach(() => {
  compatible.requests.length = 0;
});

describe("openai-compatible presets", () => {
  it("ollama: chat and embeddings on /v1 without a key, stream usage requested", async () => {
    const stream = await openAi.chat.completions.create({
      model: "llama",
      messages: [{ role: "user", content: "Hello" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("Hello! How can I help?");
    const [seen] = compatible.requests;
    expect(seen?.url).toBe("/v1/chat/completions");
    expect(seen?.headers.authorization).toBeUndefined();
    expect(seen?.body).toMatchObject({ model: "llama3.2", stream_options: { include_usage: true } });

    const embedded = await openAi.embeddings.create({ model: "nomic", input: "hello" });
    expect(embedded.data[0]?.embedding.length).toBeGreaterThan(0);
    expect(compatible.requests[1]?.url).toBe("/v1/embeddings");
    expect(compatible.requests[1]?.body.model).toBe("nomic-embed-text");
  });

  it("mistral: the key from MISTRAL_API_KEY; stream_options not sent (not known to be accepted)", async () => {
    const stream = await openAi.chat.completions.create({
      model: "mistral-small",
      messages: [{ role: "user", content: "Hello" }],
      stream: true,
    });
    for await (const _chunk of stream) {
      // drain
    }
    const [seen] = compatible.requests;
    expect(seen?.headers.authorization).toBe("Bearer mistral-secret");
    expect(seen?.body.stream_options).toBeUndefined();
    await anthropic.messages
      .stream({ model: "mistral-small", max_tokens: 10, messages: [{ role: "user", content: "Hi" }] })
      .finalMessage();
    expect(compatible.requests[1]?.body).toMatchObject({ stream: true });
    expect(compatible.requests[1]?.body.stream_options).toBeUndefined();
  });

  it("groq: drops the fields Groq rejects with a 400 and says so in x-switchyard-warnings", async () => {
    const { data, response } = await openAi.chat.completions
      .create({
        model: "llama-fast",
        messages: [{ role: "user", content: "Hello" }],
        logprobs: true,
        top_logprobs: 2,
        temperature: 0.3,
      })
      .withResponse();
    expect(data.choices[0]?.message.content).toBeTypeOf("string");
    expect(response.headers.get("x-switchyard-warnings")).toBe(
      "logprobs dropped: provider groq does not accept it; top_logprobs dropped: provider groq does not accept it",
    );
    const [seen] = compatible.requests;
    expect(seen?.headers.authorization).toBe("Bearer gsk_test");
    expect(seen?.body).toEqual({
      model: "llama-3.3-70b-versatile",
      messages: [{ role: "user", content: "Hello" }],
      temperature: 0.3,
    });
  });
});
