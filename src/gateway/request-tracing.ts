import type { TraceContentConfig } from "../core/gateway-config.js";
import type { UpstreamOperation } from "../core/ports/provider-adapter.js";
import type { AttemptSpan, ChildSpan, RequestTrace, TraceAttributes } from "../core/ports/request-tracer.js";
import type { GatewayContext } from "./gateway-context.js";
import type { ResolvedTarget } from "./route-table.js";
import { recordsContent, traceContentAttributes } from "./trace-content.js";

/** GenAI semantic-convention operation names (v1.41) for the gateway's operations. */
export const genAiOperationNames: Readonly<Record<UpstreamOperation, string>> = {
  "chat.completions": "chat",
  embeddings: "embeddings",
  messages: "chat",
  "messages.count_tokens": "count_tokens",
  responses: "chat",
};

/**
 * One request's trace as the pipeline sees it: the request span, the attempt in flight, and what the
 * response said (model, finish reasons). Exists only when tracing is on, so the request path pays nothing
 * otherwise. Attributes follow the OpenTelemetry GenAI semantic conventions v1.41 plus `switchyard.*` ones.
 */
export class RequestTracing {
  readonly trace: RequestTrace;
  readonly #operationName: string;
  #attempt: AttemptSpan | undefined;
  #attemptCount = 0;
  #responseModel: string | undefined;
  #finishReasons: string[] | undefined;
  /** Present only when content capture is opted in (`telemetry.traces.content.enabled`). */
  readonly #content: TraceContentConfig | undefined;
  /** A non-streamed answer's `choices`, kept by reference for the content attributes. */
  #choices: readonly unknown[] | undefined;

  constructor(trace: RequestTrace, operation: UpstreamOperation, content?: TraceContentConfig) {
    this.trace = trace;
    this.#operationName = genAiOperationNames[operation];
    this.#content = content;
  }

  /** Starts an upstream attempt's span; returns the W3C headers that carry it upstream. */
  beginAttempt(target: ResolvedTarget): Readonly<Record<string, string>> {
    this.#attempt?.end();
    this.#attemptCount += 1;
    this.#attempt = this.trace.startAttempt(`${this.#operationName} ${target.upstreamModel}`, {
      "gen_ai.operation.name": this.#operationName,
      "gen_ai.provider.name": target.adapter.name,
      "gen_ai.request.model": target.upstreamModel,
      "switchyard.target": target.label,
      "switchyard.attempt": this.#attemptCount,
    });
    return this.#attempt.headers;
  }

  /** Ends the attempt in flight with the upstream's status (null when none came) and error code. */
  endAttempt(status: number | null, errorCode: string | null): void {
    const attempt = this.#attempt;
    if (attempt === undefined) return;
    this.#attempt = undefined;
    if (status !== null) attempt.setAttributes({ "http.response.status_code": status });
    attempt.end(errorCode ?? undefined);
  }

  /** Reads `model` and `choices[].finish_reason` from an OpenAI-dialect body or stream chunk. */
  noteResponse(record: Record<string, unknown>): void {
    if (typeof record.model === "string" && record.model !== "") this.#responseModel = record.model;
    const choices = record.choices;
    if (!Array.isArray(choices)) return;
    // Stream chunks carry `delta`s, a whole answer carries `message`s: only whole answers are recorded.
    if (this.#content !== undefined && (choices[0] as { message?: unknown } | null)?.message !== undefined) {
      this.#choices = choices;
    }
    for (const choice of choices) {
      const reason = (choice as { finish_reason?: unknown } | null)?.finish_reason;
      if (typeof reason !== "string") continue;
      this.#finishReasons ??= [];
      if (!this.#finishReasons.includes(reason)) this.#finishReasons.push(reason);
    }
  }

  /** A span for a pipeline step that takes time (policy scans, cache lookups). */
  step(name: string): ChildSpan {
    return this.trace.startChild(name, {});
  }

  /** Ends the request span once the response is over. */
  end(context: GatewayContext, status: number, costUsd: number | null): void {
    this.endAttempt(null, context.signal.aborted ? "GW_ERR_CLIENT_DISCONNECTED" : null);
    const key = context.caller?.kind === "virtual-key" ? context.caller.key : undefined;
    const target = context.target;
    const attributes: TraceAttributes = {
      "gen_ai.operation.name": this.#operationName,
      "gen_ai.provider.name": target === null ? undefined : target.split("/", 1)[0],
      "gen_ai.request.model": context.modelRequested,
      "gen_ai.response.model": this.#responseModel,
      "gen_ai.usage.input_tokens": context.usage.inputTokens,
      "gen_ai.usage.output_tokens": context.usage.outputTokens,
      "gen_ai.response.finish_reasons": this.#finishReasons,
      "http.response.status_code": status,
      "switchyard.request.id": context.requestId,
      "switchyard.key.id": key?.id ?? (context.caller?.kind === "master" ? "master" : undefined),
      "switchyard.team": key?.metadata.team,
      "switchyard.project": key?.metadata.project,
      "switchyard.model_group": context.route?.groupName,
      "switchyard.target": target,
      "switchyard.attempts": context.attempts.length,
      "switchyard.stream": context.stream,
      "switchyard.usage.cached_tokens": context.usage.cachedTokens,
      "switchyard.time_to_first_token_ms": context.ttftMs,
      "switchyard.cost.usd": costUsd,
      "switchyard.policy": context.policy?.summary || undefined,
    };
    const content = this.#content;
    this.trace.end(
      // Only answered requests: a block or a failed moderation call can leave the body unredacted.
      content !== undefined &&
        this.trace.sampled &&
        status < 400 &&
        context.errorCode === null &&
        recordsContent(content, context)
        ? { ...attributes, ...traceContentAttributes(content, context, this.#choices) }
        : attributes,
      context.errorCode ?? undefined,
      context.modelRequested === null ? undefined : `${this.#operationName} ${context.modelRequested}`,
    );
  }
}
