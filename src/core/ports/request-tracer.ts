/** Span attribute values as OpenTelemetry accepts them. */
export type TraceAttributeValue = string | number | boolean | readonly string[];
export type TraceAttributes = Readonly<Record<string, TraceAttributeValue | null | undefined>>;

/** What the data plane knows when a request arrives. */
export interface TraceStart {
  /** The operation name for the span (`chat`, `embeddings`). */
  readonly operationName: string;
  /** The client's W3C `traceparent` header, when it sent one. */
  readonly traceparent: string | undefined;
  readonly tracestate: string | undefined;
  /** Epoch milliseconds when the request arrived. */
  readonly startTimeMs: number;
}

/** A child span of the request (an upstream attempt or a pipeline step). */
export interface ChildSpan {
  setAttributes(attributes: TraceAttributes): void;
  /** Ends the span; an error description marks it failed. */
  end(error?: string): void;
}

/** An upstream attempt's span; `headers` carry its W3C trace context to the upstream. */
export interface AttemptSpan extends ChildSpan {
  readonly headers: Readonly<Record<string, string>>;
}

/** The span of one request. Every method is cheap; nothing is exported on the request path. */
export interface RequestTrace {
  /** 32 lower-case hex digits. */
  readonly traceId: string;
  /** Whether the span is sampled (exported); an unsampled trace still propagates its context upstream. */
  readonly sampled: boolean;
  startChild(name: string, attributes: TraceAttributes): ChildSpan;
  startAttempt(name: string, attributes: TraceAttributes): AttemptSpan;
  /**
   * Ends the request span with its final attributes; an error description marks it failed; `name` replaces
   * the span's name (e.g. `chat gpt-4o` once the model is known).
   */
  end(attributes: TraceAttributes, error?: string, name?: string): void;
}

/** Starts request traces; absent from the gateway's dependencies when tracing is off (no span objects at all). */
export interface RequestTracer {
  startRequest(start: TraceStart): RequestTrace;
  /** Exports every ended span now (tests, shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
