import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  answers,
  type MockOpenAiUpstream,
  openAiFixture,
  startMockOpenAiUpstream,
} from "../support/mock-openai-upstream.js";
import { type OtlpReceiver, startOtlpReceiver } from "../support/otlp-receiver.js";
import { mockUpstreamConfig, startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let upstream: MockOpenAiUpstream;
let receiver: OtlpReceiver;
let gateway: TestGateway;

const traceId = "5cf92f3577b34da6a3ce929d0e0e4737";
const serverKind = 2;
const clientKind = 3;
const errorStatus = 2;

beforeAll(async () => {
  upstream = await startMockOpenAiUpstream();
  receiver = await startOtlpReceiver();
  // One retry on the same target is allowed for "resilient"; two failures there make it fall back.
  const extra = `
telemetry:
  traces: { enabled: true, endpoint: ${receiver.url}, serviceName: switchyard-retry-test, scheduledDelayMs: 600000 }
resilience:
  retries: { baseDelayMs: 1, maxDelayMs: 2 }
  groups:
    resilient: { maxRetriesPerTarget: 1 }
`;
  gateway = await startTestGateway(mockUpstreamConfig(upstream.url, extra));
});
afterAll(async () => {
  await gateway.close();
  await receiver.close();
  await upstream.close();
});

describe("OpenTelemetry traces of a retried request", () => {
  it("has one child span per attempt under the request span: the first try, its retry, then the fallback", async () => {
    upstream.enqueue(answers.json(500, openAiFixture("error-500.json")));
    upstream.enqueue(answers.json(500, openAiFixture("error-500.json")));
    const { response } = await gateway
      .client()
      .chat.completions.create(
        { model: "resilient", messages: [{ role: "user", content: "Status?" }] },
        { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } },
      )
      .withResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get("x-switchyard-attempts")).toBe("3");
    expect(response.headers.get("x-switchyard-retries")).toBe("1");
    expect(response.headers.get("x-switchyard-fallback")).toBe("1");
    await gateway.running.flushTraces();

    const spans = receiver.spans.filter((span) => span.traceId === traceId);
    const requestSpan = spans.find((span) => span.kind === serverKind);
    expect(requestSpan?.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "resilient",
      "gen_ai.provider.name": "backup",
      "switchyard.attempts": 3,
    });
    const attempts = spans
      .filter((span) => span.kind === clientKind)
      .sort(
        (a, b) => Number(a.attributes["switchyard.attempt"]) - Number(b.attributes["switchyard.attempt"]),
      );
    expect(attempts.map((span) => span.name)).toEqual([
      "chat primary-model",
      "chat primary-model",
      "chat backup-model",
    ]);
    expect(attempts.every((span) => span.parentSpanId === requestSpan?.spanId)).toBe(true);
    expect(attempts.map((span) => span.statusCode === errorStatus)).toEqual([true, true, false]);
    expect(upstream.requests.map((request) => request.headers.traceparent)).toEqual(
      attempts.map((span) => `00-${traceId}-${span.spanId}-01`),
    );
  });
});
