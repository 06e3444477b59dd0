import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { anthropicTestConfig } from "../support/anthropic-test-config.js";
import {
  type MockAnthropicUpstream,
  startMockAnthropicUpstream,
} from "../support/mock-anthropic-upstream.js";
import { type MockOpenAiUpstream, startMockOpenAiUpstream } from "../support/mock-openai-upstream.js";
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from "../support/otlp-receiver.js";
import { startTestGateway, type TestGateway, testMasterKey } from "../support/start-test-gateway.js";

let claude: MockAnthropicUpstream;
let openAiUpstream: MockOpenAiUpstream;
let receiver: OtlpReceiver;
let gateway: TestGateway;
let anthropic: Anthropic;

const clientTraceId = "0af7651916cd43dd8448eb211c80319c";
const clientSpanId = "b7ad6b7169203331";
const clientKind = 3;

beforeAll(async () => {
  claude = await startMockAnthropicUpstream();
  openAiUpstream = await startMockOpenAiUpstream();
  receiver = await startOtlpReceiver();
  const tracing = `
telemetry:
  traces:
    enabled: true
    endpoint: ${receiver.url}
    scheduledDelayMs: 600000
`;
  gateway = await startTestGateway(anthropicTestConfig(claude.url, openAiUpstream.url) + tracing);
  anthropic = new Anthropic({ baseURL: gateway.url, apiKey: testMasterKey, maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await receiver.close();
  await claude.close();
  await openAiUpstream.close();
});
beforeEach(() => {
  claude.requests.length = 0;
});

/** The attempt (client) spans of the client's trace, once exported. */
async function attemptSpans(): Promise<ReceivedSpan[]> {
  let found: ReceivedSpan[] = [];
  await vi.waitFor(async () => {
    await gateway.running.flushTraces();
    found = receiver.spans.filter((span) => span.traceId === clientTraceId && span.kind === clientKind);
    expect(found.length).toBeGreaterThan(0);
  });
  return found;
}

describe("trace context sent to an anthropic provider", () => {
  it("carries the attempt span as the parent of the upstream call (Anthropic SDK, passthrough)", async () => {
    const message = await anthropic.messages.create(
      { model: "claude-house", max_tokens: 64, messages: [{ role: "user", content: "Hello" }] },
      { headers: { traceparent: `00-${clientTraceId}-${clientSpanId}-01` } },
    );
    expect(message.type).toBe("message");
    expect(claude.requests).toHaveLength(1);
    const [attempt] = await attemptSpans();
    expect(attempt?.parentSpanId).not.toBe("");
    expect(claude.requests[0]?.headers.traceparent).toBe(`00-${clientTraceId}-${attempt?.spanId}-01`);
    // The provider's own key is still sent.
    expect(claude.requests[0]?.headers["x-api-key"]).toBe("anthropic-upstream-secret");
  });

  it("carries it on a translated stream too (OpenAI SDK → anthropic provider)", async () => {
    receiver.spans.length = 0;
    const stream = await gateway
      .client()
      .chat.completions.create(
        { model: "claude-house", messages: [{ role: "user", content: "Hello" }], stream: true },
        { headers: { traceparent: `00-${clientTraceId}-${clientSpanId}-01` } },
      );
    for await (const _chunk of stream) {
      // drain
    }
    expect(claude.requests).toHaveLength(1);
    const [attempt] = await attemptSpans();
    expect(claude.requests[0]?.headers.traceparent).toBe(`00-${clientTraceId}-${attempt?.spanId}-01`);
  });
});
