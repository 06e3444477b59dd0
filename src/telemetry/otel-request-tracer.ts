import {
  type AttributeValue,
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapSetter,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanExporter,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import type { TracesConfig } from "../core/gateway-config.js";
import type {
  AttemptSpan,
  ChildSpan,
  RequestTrace,
  RequestTracer,
  TraceAttributes,
  TraceStart,
} from "../core/ports/request-tracer.js";

const instrumentationName = "switchyard";
const propagator = new W3CTraceContextPropagator();

/** Reads the two W3C headers from what `TraceStart` carries. */
const startGetter: TextMapGetter<TraceStart> = {
  keys: () => ["traceparent", "tracestate"],
  get: (carrier, key) =>
    key === "traceparent" ? carrier.traceparent : key === "tracestate" ? carrier.tracestate : undefined,
};
const headerSetter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

export interface OtelTracerOptions {
  readonly config: TracesConfig;
  /** Replaces the OTLP/HTTP exporter (tests). */
  readonly exporter?: SpanExporter;
  readonly onExportError?: (error: unknown) => void;
}

/**
 * `RequestTracer` over the OpenTelemetry SDK: W3C trace context in and out, batched OTLP/HTTP (JSON) export
 * off the request path. Parents are passed explicitly, so no async context manager runs on the hot path.
 */
export function createOtelRequestTracer(options: OtelTracerOptions): RequestTracer {
  const { config } = options;
  const exporter =
    options.exporter ??
    new OTLPTraceExporter({
      url: config.endpoint,
      headers: { ...config.headers },
      timeoutMillis: config.exportTimeoutMs,
    });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": config.serviceName }),
    sampler: sampler(config),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter,
        scheduledDelayMillis: config.scheduledDelayMs,
        maxQueueSize: config.maxQueueSize,
        maxExportBatchSize: Math.min(512, config.maxQueueSize),
        exportTimeoutMillis: config.exportTimeoutMs,
      }),
    ],
  });
  const tracer = provider.getTracer(instrumentationName);
  return {
    startRequest: (start) => new OtelRequestTrace(tracer, start),
    flush: () => provider.forceFlush(),
    close: () => provider.shutdown(),
  };
}

function sampler(config: TracesConfig): Sampler {
  const root = new TraceIdRatioBasedSampler(config.sampleRatio);
  return config.parentBased ? new ParentBasedSampler({ root }) : root;
}

class OtelRequestTrace implements RequestTrace {
  readonly traceId: string;
  readonly sampled: boolean;
  readonly #tracer: Tracer;
  readonly #span: Span;
  readonly #context: Context;

  constructor(tracer: Tracer, start: TraceStart) {
    this.#tracer = tracer;
    const parent =
      start.traceparent === undefined ? ROOT_CONTEXT : propagator.extract(ROOT_CONTEXT, start, startGetter);
    this.#span = tracer.startSpan(
      start.operationName,
      {
        kind: SpanKind.SERVER,
        startTime: start.startTimeMs,
        attributes: { "gen_ai.operation.name": start.operationName },
      },
      parent,
    );
    this.#context = trace.setSpan(parent, this.#span);
    const spanContext = this.#span.spanContext();
    this.traceId = spanContext.traceId;
    this.sampled = this.#span.isRecording();
  }

  startChild(name: string, attributes: TraceAttributes): ChildSpan {
    const span = this.#tracer.startSpan(name, { kind: SpanKind.INTERNAL }, this.#context);
    setAll(span, attributes);
    return new OtelChildSpan(span);
  }

  startAttempt(name: string, attributes: TraceAttributes): AttemptSpan {
    const span = this.#tracer.startSpan(name, { kind: SpanKind.CLIENT }, this.#context);
    setAll(span, attributes);
    const headers: Record<string, string> = {};
    propagator.inject(trace.setSpan(this.#context, span), headers, headerSetter);
    return new OtelChildSpan(span, headers);
  }

  end(attributes: TraceAttributes, error?: string, name?: string): void {
    if (name !== undefined) this.#span.updateName(name);
    endSpan(this.#span, attributes, error);
  }
}

class OtelChildSpan implements AttemptSpan {
  readonly #span: Span;
  readonly headers: Readonly<Record<string, string>>;

  constructor(span: Span, headers: Readonly<Record<string, string>> = {}) {
    this.#span = span;
    this.headers = headers;
  }

  setAttributes(attributes: TraceAttributes): void {
    setAll(this.#span, attributes);
  }

  end(error?: string): void {
    endSpan(this.#span, {}, error);
  }
}

function endSpan(span: Span, attributes: TraceAttributes, error: string | undefined): void {
  if (span.isRecording()) {
    setAll(span, attributes);
    if (error !== undefined) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error });
      span.setAttribute("error.type", error);
    }
  }
  span.end();
}

/** Sets the attributes that have a value (OpenTelemetry attributes cannot hold null), on recorded spans only. */
function setAll(span: Span, attributes: TraceAttributes): void {
  if (!span.isRecording()) return;
  for (const name in attributes) {
    const value = attributes[name];
    if (value !== null && value !== undefined) span.setAttribute(name, value as AttributeValue);
  }
}
