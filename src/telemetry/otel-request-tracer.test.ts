import { InMemorySpanExporter } from "@opentelemetry/sdk-trace";
import { afterEach, describe, expect, it } from "vitest";
import type { TracesConfig } from "../core/gateway-config.js";
import type { RequestTracer } from "../core/ports/request-tracer.js";
import { createOtelRequestTracer } from "./otel-request-tracer.js";

const config: TracesConfig = {
  enabled: true,
  endpoint: "http://127.0.0.1:1/v1/traces",
  headers: {},
  sampleRatio: 1,
  parentBased: true,
  serviceName: "unit",
  scheduledDelayMs: 600_000,
  maxQueueSize: 100,
  exportTimeoutMs: 1000,
  content: { enabled: false, maxChars: 2000, models: undefined, teams: undefined },
};
const parentTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
const parentSpanId = "00f067aa0ba902b7";

let tracer: RequestTracer | undefined;
afterEach(async () => {
  await tracer?.close();
});

function start(overrides: Partial<TracesConfig>, traceparent?: string) {
  const exporter = new InMemorySpanExporter();
  tracer = createOtelRequestTracer({ config: { ...config, ...overrides }, exporter });
  const trace = tracer.startRequest({
    operationName: "chat",
    traceparent,
    tracestate: traceparent === undefined ? undefined : "vendor=1",
    startTimeMs: Date.now(),
  });
  return { exporter, trace, tracer };
}

describe("OpenTelemetry request tracer", () => {
  it("continues the client's trace and hands each attempt its own traceparent and tracestate", async () => {
    const { exporter, trace, tracer } = start({}, `00-${parentTraceId}-${parentSpanId}-01`);
    expect(trace.traceId).toBe(parentTraceId);
    expect(trace.sampled).toBe(true);
    const attempt = trace.startAttempt("chat m", { "gen_ai.request.model": "m", absent: null });
    expect(attempt.headers.traceparent).toMatch(new RegExp(`^00-${parentTraceId}-[0-9a-f]{16}-01$`));
    expect(attempt.headers.tracestate).toBe("vendor=1");
    attempt.end("GW_ERR_UPSTREAM_ERROR");
    trace.end({ "gen_ai.usage.input_tokens": 3, skipped: undefined }, undefined, "chat gpt-4o");
    await tracer.flush();
    const spans = exporter.getFinishedSpans();
    const [attemptSpan, requestSpan] = spans;
    expect(requestSpan?.name).toBe("chat gpt-4o");
    expect(requestSpan?.parentSpanContext?.spanId).toBe(parentSpanId);
    expect(requestSpan?.attributes).toEqual({
      "gen_ai.operation.name": "chat",
      "gen_ai.usage.input_tokens": 3,
    });
    expect(attemptSpan?.parentSpanContext?.spanId).toBe(requestSpan?.spanContext().spanId);
    expect(attemptSpan?.attributes).toEqual({
      "gen_ai.request.model": "m",
      "error.type": "GW_ERR_UPSTREAM_ERROR",
    });
    expect(attempt.headers.traceparent).toContain(attemptSpan?.spanContext().spanId);
  });

  it("samples new traces by ratio: ratio 0 exports nothing but still propagates an unsampled context", async () => {
    const { exporter, trace, tracer } = start({ sampleRatio: 0 });
    expect(trace.sampled).toBe(false);
    expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
    const attempt = trace.startAttempt("chat m", {});
    expect(attempt.headers.traceparent).toMatch(new RegExp(`^00-${trace.traceId}-[0-9a-f]{16}-00$`));
    attempt.end();
    trace.end({});
    await tracer.flush();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it("follows a sampled parent when parent-based, and ignores it otherwise", async () => {
    const sampledParent = `00-${parentTraceId}-${parentSpanId}-01`;
    expect(start({ sampleRatio: 0, parentBased: true }, sampledParent).trace.sampled).toBe(true);
    await tracer?.close();
    expect(start({ sampleRatio: 0, parentBased: false }, sampledParent).trace.sampled).toBe(false);
    await tracer?.close();
    const unsampledParent = `00-${parentTraceId}-${parentSpanId}-00`;
    expect(start({ sampleRatio: 1, parentBased: true }, unsampledParent).trace.sampled).toBe(false);
  });

  it("starts a new trace when the client's traceparent is malformed", () => {
    const { trace } = start({}, "00-not-a-trace-01");
    expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(trace.traceId).not.toBe("00000000000000000000000000000000");
    expect(trace.sampled).toBe(true);
  });
});
