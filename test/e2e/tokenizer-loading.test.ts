import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countTextTokens, tokenizerLoaded } from "../../src/core/tokenizer.js";
import {
  answers,
  type MockOpenAiUpstream,
  startMockOpenAiUpstream,
} from "../support/mock-openai-upstream.js";
import { mockUpstreamConfig, startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

// Vitest gives each test file its own module registry, so `tokenizerLoaded()` here reports on this gateway alone.
let upstream: MockOpenAiUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startMockOpenAiUpstream();
  gateway = await startTestGateway(mockUpstreamConfig(upstream.url));
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

function answerWithoutUsage(content: string): string {
  return JSON.stringify({
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "gpt-4o-2024-08-06",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
  });
}

describe("the tokenizer (ADR 0016: 20 MB of heap, loaded only when something counts tokens)", () => {
  it("is not loaded by a gateway without limits or budgets while upstreams report usage", async () => {
    const completion = await gateway.client().chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hello" }],
    });
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    await gateway.running.flushRequestLog();
    expect(tokenizerLoaded()).toBe(false);
  });

  it("loads on the first answer without usage, and counts special-token markers as plain text", async () => {
    const prompt = "Repeat <|endoftext|> back to me.";
    const answer = "You said <|endoftext|>.";
    upstream.enqueue(answers.json(200, answerWithoutUsage(answer)));
    await gateway.client().chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: prompt }],
    });
    await gateway.running.flushRequestLog();
    expect(tokenizerLoaded()).toBe(true);
    const [row] = await gateway.running.storage.requestLogs.query({ order: "desc", limit: 1 });
    expect(row).toMatchObject({
      status: 200,
      usageEstimated: true,
      inputTokens: 3 + 3 + countTextTokens(prompt),
      outputTokens: countTextTokens(answer),
    });
  });
});
