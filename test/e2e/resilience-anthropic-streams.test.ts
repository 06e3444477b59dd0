import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  anthropicAnswers,
  anthropicFixture,
  type MockAnthropicUpstream,
  startMockAnthropicUpstream,
} from "../support/mock-anthropic-upstream.js";
import {
  answers,
  type MockAnswer,
  type MockOpenAiUpstream,
  openAiFixture,
  startMockOpenAiUpstream,
} from "../support/mock-openai-upstream.js";
import { startTestGateway, type TestGateway, testMasterKey } from "../support/start-test-gateway.js";

// Anthropic-dialect streams (passthrough to an anthropic provider, and translated from an OpenAI-compatible
// one) are judged by the circuit breaker when they end: a cut or an error event after content began is a
// failure of the target, a clean `message_stop` a success.

let claude: MockAnthropicUpstream;
let openAiUpstream: MockOpenAiUpstream;
let gateway: TestGateway;
let anthropic: Anthropic;

beforeAll(async () => {
  claude = await startMockAnthropicUpstream();
  openAiUpstream = await startMockOpenAiUpstream();
  gateway = await startTestGateway(`
providers:
  - { name: claude-a, type: anthropic, baseUrl: "${claude.url}", apiKey: a-secret }
  - { name: claude-b, type: anthropic, baseUrl: "${claude.url}", apiKey: b-secret }
  - { name: gpt, type: openai-compatible, baseUrl: "${openAiUpstream.url}", apiKey: gpt-secret }
models:
  - { name: claude-pair, targets: [{ provider: claude-a, model: m }, { provider: claude-b, model: m }] }
  - { name: gpt-then-claude, targets: [{ provider: gpt, model: m }, { provider: claude-b, model: m }] }
keys:
  refreshIntervalMs: 20
requestLog:
  flushIntervalMs: 60000
resilience:
  retries: { maxRetriesPerTarget: 0 }
  streamHoldBackMs: 30000
  timeouts: { firstTokenMs: 30000 }
  circuitBreaker: { consecutiveFailures: 2, cooldownMs: 600000 }
`);
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

/** Sends the first `events` SSE events of `raw` after the content began, then resets the connection. */
function sseCut(raw: string, events: number): MockAnswer {
  return (_request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
    response.write(raw.split("\n\n").slice(0, events).join("\n\n").concat("\n\n"), () => response.destroy());
  };
}

/** Streams one answer from `model` and reads it to the end; says how it ended and which target served it. */
async function streamFrom(model: string): Promise<{ outcome: string; target: string | null }> {
  const { data: stream, response } = await anthropic.messages
    .create({ model, max_tokens: 64, messages: [{ role: "user", content: "Hello" }], stream: true })
    .withResponse();
  let text = "";
  const outcome = await (async () => {
    for await (const event of stream) {
      if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
    }
  })().then(
    () => "clean end",
    () => "broken",
  );
  expect(text.length).toBeGreaterThan(0);
  return { outcome, target: response.headers.get("x-switchyard-target") };
}

async function breakerState(target: string): Promise<string | undefined> {
  const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
  const escaped = target.replace("/", "\\/");
  return new RegExp(`switchyard_circuit_breaker_state\\{target="${escaped}"\\} (\\d)`).exec(metrics)?.[1];
}

describe("circuit breakers judge Anthropic-dialect streams at their end", () => {
  it("passthrough: a clean message_stop counts as a success, cuts and error events as failures", async () => {
    const textStream = anthropicFixture("message-text.chunks.txt");
    // Cut after the first text delta (message_start, content_block_start, ping, content_block_delta).
    claude.enqueue(sseCut(textStream, 4));
    expect(await streamFrom("claude-pair")).toEqual({ outcome: "broken", target: "claude-a/m" });
    expect(await streamFrom("claude-pair")).toEqual({ outcome: "clean end", target: "claude-a/m" });
    claude.enqueue(anthropicAnswers.sse(anthropicFixture("error-mid-stream.chunks.txt")));
    expect(await streamFrom("claude-pair")).toEqual({ outcome: "broken", target: "claude-a/m" });
    // Failure, success, failure: never two failures in a row, so the breaker stays closed.
    expect(await breakerState("claude-a/m")).toBe("0");

    claude.enqueue(sseCut(textStream, 5));
    expect(await streamFrom("claude-pair")).toEqual({ outcome: "broken", target: "claude-a/m" });
    expect(await breakerState("claude-a/m")).toBe("2");
    expect(claude.requests).toHaveLength(4);

    // Open: the next stream skips claude-a and is served by claude-b.
    expect(await streamFrom("claude-pair")).toEqual({ outcome: "clean end", target: "claude-b/m" });
    expect(claude.requests).toHaveLength(5);
    expect(claude.requests.at(-1)?.headers["x-api-key"]).toBe("b-secret");
  });

  it("translated from an OpenAI-compatible upstream: cuts after content count as failures", async () => {
    const chunks = openAiFixture("chat-completion.chunks.txt");
    openAiUpstream.enqueue(sseCut(chunks, 3), answers.sse(chunks), sseCut(chunks, 3), sseCut(chunks, 3));
    expect(await streamFrom("gpt-then-claude")).toEqual({ outcome: "broken", target: "gpt/m" });
    expect(await streamFrom("gpt-then-claude")).toEqual({ outcome: "clean end", target: "gpt/m" });
    expect(await streamFrom("gpt-then-claude")).toEqual({ outcome: "broken", target: "gpt/m" });
    expect(await breakerState("gpt/m")).toBe("0");
    expect(await streamFrom("gpt-then-claude")).toEqual({ outcome: "broken", target: "gpt/m" });
    expect(await breakerState("gpt/m")).toBe("2");

    expect(await streamFrom("gpt-then-claude")).toEqual({ outcome: "clean end", target: "claude-b/m" });
    expect(openAiUpstream.requests).toHaveLength(4);
    expect(claude.requests).toHaveLength(1);
  });
});
