import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { KeyService } from "../../src/control/key-service.js";
import { type MockOpenAiUpstream, startMockOpenAiUpstream } from "../support/mock-openai-upstream.js";
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from "../support/otlp-receiver.js";
import { testDetectors } from "../support/safety-test-policies.js";
import { mockUpstreamConfig, startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let upstream: MockOpenAiUpstream;
let receiver: OtlpReceiver;
let gateway: TestGateway;
let searchKey: string;

const serverKind = 2;

beforeAll(async () => {
  upstream = await startMockOpenAiUpstream();
  receiver = await startOtlpReceiver();
  const extra = `
telemetry:
  traces:
    enabled: true
    endpoint: ${receiver.url}
    scheduledDelayMs: 600000
    content: { enabled: true, maxChars: 60, teams: [search] }
safety:
  policies:
    - { name: redact-email, stages: [input], detectors: [pii], types: [EMAIL_ADDRESS], action: redact }
`;
  gateway = await startTestGateway(mockUpstreamConfig(upstream.url, extra), {}, { detectors: testDetectors });
  const created = await new KeyService(gateway.running.storage.keys).create({
    name: "search-bot",
    metadata: { team: "search" },
  });
  searchKey = created.secret;
  await vi.waitFor(async () => {
    const response = await fetch(`${gateway.url}/v1/models`, {
      headers: { authorization: `Bearer ${searchKey}` },
    });
    expect(response.status).toBe(200);
  });
});
afterAll(async () => {
  await gateway.close();
  await receiver.close();
  await upstream.close();
});

/** The request span of the trace the gateway propagated with its latest upstream call. */
async function latestRequestSpan(): Promise<ReceivedSpan> {
  const traceId = String(upstream.requests.at(-1)?.headers.traceparent).split("-")[1];
  let found: ReceivedSpan | undefined;
  await vi.waitFor(async () => {
    await gateway.running.flushTraces();
    found = receiver.spans.find((span) => span.traceId === traceId && span.kind === serverKind);
    expect(found).toBeDefined();
  });
  return found as ReceivedSpan;
}

interface Message {
  role: string;
  parts: { type: string; content?: string }[];
  finish_reason?: string;
}

const messagesOf = (span: ReceivedSpan, name: string): Message[] =>
  JSON.parse(String(span.attributes[name])) as Message[];

describe("prompt and completion content on spans (telemetry.traces.content)", () => {
  it("records the redacted prompt, cut to maxChars, and the completion for an opted-in team", async () => {
    const prompt = `Mail ada@example.com the summary. ${"then more words ".repeat(10)}`;
    await gateway
      .client(searchKey)
      .chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: prompt }] });
    const span = await latestRequestSpan();
    const input = messagesOf(span, "gen_ai.input.messages");
    expect(input).toHaveLength(1);
    expect(input[0]?.role).toBe("user");
    const text = String(input[0]?.parts[0]?.content);
    expect(text.startsWith("Mail [REDACTED:EMAIL_ADDRESS] the summary.")).toBe(true);
    expect(text).toHaveLength(60);
    expect(span.attributes["switchyard.content.truncated"]).toBe(true);
    const output = messagesOf(span, "gen_ai.output.messages");
    expect(output[0]).toMatchObject({ role: "assistant", finish_reason: "stop" });
    expect(output[0]?.parts[0]?.type).toBe("text");
    expect(JSON.stringify(receiver.spans)).not.toContain("ada@example.com");
  });

  it("records no output for a stream, and nothing for a caller outside the configured teams", async () => {
    const stream = await gateway.client(searchKey).chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Say hello" }],
      stream: true,
    });
    for await (const _chunk of stream) {
      // drain
    }
    const streamed = await latestRequestSpan();
    expect(messagesOf(streamed, "gen_ai.input.messages")[0]?.parts).toEqual([
      { type: "text", content: "Say hello" },
    ]);
    expect(streamed.attributes["gen_ai.output.messages"]).toBeUndefined();

    await gateway
      .client()
      .chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Say hello" }] });
    const master = await latestRequestSpan();
    expect(master.attributes["gen_ai.request.model"]).toBe("gpt-4o");
    expect(master.attributes["gen_ai.input.messages"]).toBeUndefined();
    expect(master.attributes["gen_ai.output.messages"]).toBeUndefined();
  });
});
