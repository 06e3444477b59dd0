import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { KeyService } from "../../src/control/key-service.js";
import {
  answers,
  type MockOpenAiUpstream,
  openAiFixture,
  startMockOpenAiUpstream,
} from "../support/mock-openai-upstream.js";
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from "../support/otlp-receiver.js";
import { testDetectors } from "../support/safety-test-policies.js";
import { mockUpstreamConfig, startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let upstream: MockOpenAiUpstream;
let receiver: OtlpReceiver;
let gateway: TestGateway;
let keySecret: string;
let keyId: string;

const clientTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
const clientSpanId = "00f067aa0ba902b7";
const serverKind = 2;
const clientKind = 3;
const internalKind = 1;
const errorStatus = 2;

beforeAll(async () => {
  upstream = await startMockOpenAiUpstream();
  receiver = await startOtlpReceiver();
  const extra = `
telemetry:
  traces:
    enabled: true
    endpoint: ${receiver.url}
    serviceName: switchyard-trace-test
    scheduledDelayMs: 600000
safety:
  policies:
    - { name: redact-email, stages: [input], detectors: [pii], types: [EMAIL_ADDRESS], action: redact }
`;
  gateway = await startTestGateway(mockUpstreamConfig(upstream.url, extra), {}, { detectors: testDetectors });
  const created = await new KeyService(gateway.running.storage.keys).create({
    name: "search-bot",
    metadata: { team: "search", project: "ranker", user: "end-user-42" },
  });
  keySecret = created.secret;
  keyId = created.record.id;
  // The key cache refreshes every 20 ms in this config: wait until the gateway knows the key.
  await vi.waitFor(async () => {
    const response = await fetch(`${gateway.url}/v1/models`, {
      headers: { authorization: `Bearer ${keySecret}` },
    });
    expect(response.status).toBe(200);
  });
});
afterAll(async () => {
  await gateway.close();
  await receiver.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.requests.length = 0;
});

function spansOf(traceId: string): ReceivedSpan[] {
  return receiver.spans.filter((span) => span.traceId === traceId);
}

describe("OpenTelemetry traces", () => {
  it("traces a request that failed on one target and fell back: request span, attempt children, policy step", async () => {
    upstream.enqueue(answers.json(500, openAiFixture("error-500.json")));
    const { response } = await gateway
      .client(keySecret)
      .chat.completions.create(
        { model: "resilient", messages: [{ role: "user", content: "Mail ada@example.com the summary." }] },
        { headers: { traceparent: `00-${clientTraceId}-${clientSpanId}-01` } },
      )
      .withResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get("x-switchyard-attempts")).toBe("2");
    await gateway.running.flushTraces();

    const spans = spansOf(clientTraceId);
    expect(receiver.contentTypes.every((type) => type === "application/json")).toBe(true);
    const requestSpan = spans.find((span) => span.kind === serverKind);
    expect(requestSpan).toBeDefined();
    if (requestSpan === undefined) return;
    expect(requestSpan.parentSpanId).toBe(clientSpanId);
    expect(requestSpan.name).toBe("chat resilient");
    expect(requestSpan.serviceName).toBe("switchyard-trace-test");
    expect(requestSpan.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "backup",
      "gen_ai.request.model": "resilient",
      "gen_ai.response.model": "gpt-4o-2024-08-06",
      "gen_ai.usage.input_tokens": 1117,
      "gen_ai.usage.output_tokens": 46,
      "gen_ai.response.finish_reasons": ["stop"],
      "http.response.status_code": 200,
      "switchyard.key.id": keyId,
      "switchyard.team": "search",
      "switchyard.project": "ranker",
      "switchyard.model_group": "resilient",
      "switchyard.target": "backup/backup-model",
      "switchyard.attempts": 2,
      "switchyard.stream": false,
      "switchyard.policy": "pii.redact:1",
    });
    expect(requestSpan.statusCode).not.toBe(errorStatus);
    // Never a message body or a detected value on a span: content is off unless telemetry.traces.content opts in.
    expect(JSON.stringify(spans)).not.toContain("ada@example.com");
    expect(requestSpan.attributes["gen_ai.input.messages"]).toBeUndefined();
    expect(requestSpan.attributes["gen_ai.output.messages"]).toBeUndefined();

    const attempts = spans
      .filter((span) => span.kind === clientKind)
      .sort(
        (left, right) =>
          Number(left.attributes["switchyard.attempt"]) - Number(right.attributes["switchyard.attempt"]),
      );
    expect(attempts.map((span) => span.parentSpanId)).toEqual([requestSpan.spanId, requestSpan.spanId]);
    expect(attempts.map((span) => span.name)).toEqual(["chat primary-model", "chat backup-model"]);
    expect(attempts[0]?.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "mock",
      "gen_ai.request.model": "primary-model",
      "switchyard.target": "mock/primary-model",
      "http.response.status_code": 500,
      "error.type": "GW_ERR_UPSTREAM_ERROR",
    });
    expect(attempts[0]?.statusCode).toBe(errorStatus);
    expect(attempts[1]?.attributes).toMatchObject({
      "gen_ai.provider.name": "backup",
      "gen_ai.request.model": "backup-model",
      "http.response.status_code": 200,
    });
    expect(attempts[1]?.statusCode).not.toBe(errorStatus);

    // Each attempt carried its own span as the upstream request's parent.
    expect(upstream.requests.map((request) => request.headers.traceparent)).toEqual(
      attempts.map((span) => `00-${clientTraceId}-${span.spanId}-01`),
    );

    const policySpan = spans.find((span) => span.name === "switchyard.policy.input");
    expect(policySpan?.kind).toBe(internalKind);
    expect(policySpan?.parentSpanId).toBe(requestSpan.spanId);
    expect(spans).toHaveLength(4);

    await gateway.running.flushRequestLog();
    const [row] = await gateway.running.storage.requestLogs.query({ traceId: clientTraceId });
    expect(row?.traceId).toBe(clientTraceId);
    expect(row?.team).toBe("search");
    expect(row?.project).toBe("ranker");
    expect(
      row?.attemptDetails?.map(({ target, status, errorCode }) => ({ target, status, errorCode })),
    ).toEqual([
      { target: "mock/primary-model", status: 500, errorCode: "GW_ERR_UPSTREAM_ERROR" },
      { target: "backup/backup-model", status: 200, errorCode: null },
    ]);
  });

  it("starts a new trace without a client traceparent and reads model, tokens and finish reason from a stream", async () => {
    const stream = await gateway.client().chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Say hello" }],
      stream: true,
    });
    for await (const _chunk of stream) {
      // drain
    }
    const traceparent = String(upstream.requests[0]?.headers.traceparent);
    const [, traceId, attemptSpanId, flags] = traceparent.split("-");
    expect(flags).toBe("01");
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    await vi.waitFor(async () => {
      await gateway.running.flushTraces();
      expect(spansOf(String(traceId)).find((span) => span.kind === serverKind)).toBeDefined();
    });
    const spans = spansOf(String(traceId));
    const requestSpan = spans.find((span) => span.kind === serverKind);
    expect(requestSpan?.parentSpanId).toBe("");
    expect(requestSpan?.attributes).toMatchObject({
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
      "gen_ai.usage.input_tokens": 9,
      "gen_ai.usage.output_tokens": 6,
      "gen_ai.response.finish_reasons": ["stop"],
      "switchyard.key.id": "master",
      "switchyard.stream": true,
    });
    expect(spans.find((span) => span.kind === clientKind)?.spanId).toBe(attemptSpanId);
  });

  it("marks a failed request's span as an error with its catalog code", async () => {
    upstream.enqueue(answers.json(500, openAiFixture("error-500.json")));
    await expect(
      gateway
        .client()
        .chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] }),
    ).rejects.toMatchObject({ status: 500 });
    const traceId = String(upstream.requests[0]?.headers.traceparent).split("-")[1];
    await vi.waitFor(async () => {
      await gateway.running.flushTraces();
      expect(spansOf(String(traceId)).find((span) => span.kind === serverKind)).toBeDefined();
    });
    const requestSpan = spansOf(String(traceId)).find((span) => span.kind === serverKind);
    expect(requestSpan?.statusCode).toBe(errorStatus);
    expect(requestSpan?.attributes["error.type"]).toBe("GW_ERR_UPSTREAM_ERROR");
    expect(requestSpan?.attributes["http.response.status_code"]).toBe(500);
  });
});

describe("with tracing off", () => {
  it("creates no trace context: nothing propagated upstream, no trace id logged", async () => {
    const plain = await startTestGateway(mockUpstreamConfig(upstream.url));
    try {
      await plain
        .client()
        .chat.completions.create(
          { model: "gpt-4o", messages: [{ role: "user", content: "x" }] },
          { headers: { traceparent: `00-${clientTraceId}-${clientSpanId}-01` } },
        );
      expect(upstream.requests[0]?.headers.traceparent).toBeUndefined();
      await plain.running.flushRequestLog();
      const [row] = await plain.running.storage.requestLogs.query({});
      expect(row?.traceId).toBeNull();
      expect(row?.attemptDetails).toHaveLength(1);
    } finally {
      await plain.close();
    }
  });
});
