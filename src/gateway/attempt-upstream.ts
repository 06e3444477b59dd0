import type { CancelSignal } from "../core/cancellation.js";
import { hasReportedUsage } from "../core/cost/token-usage.js";
import type { FailureClass } from "../core/gateway-config.js";
import { GatewayError, isGatewayError } from "../core/gateway-error.js";
import { type ClientDialect, operationDialect } from "../core/ports/provider-adapter.js";
import type { GatewayContext, GatewayResponse } from "./gateway-context.js";
import { inboundDialects } from "./inbound-dialects.js";
import { replySurfaceFor } from "./policy/chat-surfaces.js";
import { AttemptDeadline } from "./resilience/attempt-deadline.js";
import { classifyGatewayError, classifyUpstreamStatus, isHealthFailure } from "./resilience/failure-class.js";
import type { GroupResilience } from "./resilience/resilience.js";
import { requestedRetryDelayMs } from "./resilience/retry-delay.js";
import { holdBackStream } from "./resilience/stream-hold-back.js";
import type { ResolvedTarget } from "./route-table.js";
import {
  clientWantsUsage,
  forwardedHeaders,
  parseJson,
  upstreamBody,
  upstreamErrorResponse,
  warningsHeader,
} from "./upstream-exchange.js";

export interface AttemptOptions {
  /** Renders an error as one event of the caller's stream dialect. */
  readonly renderStreamError: (
    error: GatewayError,
    dialect: ClientDialect,
    requestId: string,
    sequenceNumber?: number,
  ) => string;
}

export type AttemptResult =
  | {
      readonly kind: "served";
      readonly healthFailure: false;
      /** A committed stream: its health is known only at its end (see `onStreamOutcome`). */
      readonly deferred: boolean;
      readonly response: GatewayResponse;
    }
  | {
      readonly kind: "failed";
      readonly healthFailure: boolean;
      readonly failureClass: FailureClass;
      readonly status: number | null;
      readonly errorCode: string;
      /** The wait the upstream asked for (`retry-after-ms`, `Retry-After`, …), if any. */
      readonly requestedDelayMs: number | undefined;
      /** The answer for the client should no other attempt follow (an error response, or a thrown error). */
      readonly respond: () => GatewayResponse;
    };

/**
 * One call to one target, up to the moment the response is committed to the client: an HTTP error, a transport
 * failure, a timeout, or a stream that fails before its first content is a `failed` result the caller may retry
 * or fall back from. Rejects only when the client went away.
 */
export async function attemptUpstream(
  context: GatewayContext,
  target: ResolvedTarget,
  group: GroupResilience,
  options: AttemptOptions,
  onStreamOutcome: (brokeUpstream: boolean) => void,
): Promise<AttemptResult> {
  const remainingMs =
    group.totalMs === undefined ? undefined : context.startedAt + group.totalMs - performance.now();
  const deadline =
    group.firstTokenMs === undefined && remainingMs === undefined
      ? undefined
      : new AttemptDeadline(context.signal, group.firstTokenMs, remainingMs);
  const signal: CancelSignal = deadline?.signal ?? context.signal;
  const dialect = operationDialect[context.operation];
  const inbound = inboundDialects[dialect];
  let handedOver = false;
  const traceHeaders = context.tracing?.beginAttempt(target);
  try {
    const response = await target.adapter.send({
      operation: context.operation,
      body: upstreamBody(context, target),
      model: target.upstreamModel,
      forwardedHeaders: forwardedHeaders(
        context.headers,
        target.adapter.capabilities.forwardedHeaderPrefixes,
      ),
      signal,
      traceHeaders,
    });
    const warnings = response.headers[warningsHeader];
    context.warnings = typeof warnings === "string" ? warnings : null;
    if (response.status >= 400) {
      const bytes = await response.bytes();
      const failureClass = classifyUpstreamStatus(response.status, parseJson(bytes));
      return {
        kind: "failed",
        healthFailure: isHealthFailure(failureClass),
        failureClass,
        status: response.status,
        errorCode: "GW_ERR_UPSTREAM_ERROR",
        requestedDelayMs: requestedRetryDelayMs(response.headers),
        respond: () => upstreamErrorResponse(context, target, response, bytes),
      };
    }
    if (context.stream) {
      let upstream = response.body;
      /** Chunks already seen by the hold-back without content: they do not count as a first token. */
      let heldWithoutContent = 0;
      if (group.streamHoldBackMs > 0) {
        const held = await holdBackStream(upstream, group.streamHoldBackMs);
        if (held.kind === "failed") {
          if (context.signal.aborted) throw held.upstreamError;
          return failure(deadline?.error(group.firstTokenMs, group.totalMs) ?? held.error);
        }
        if (held.contentBegan) deadline?.firstTokenArrived();
        else heldWithoutContent = held.heldChunks;
        upstream = held.stream;
      }
      handedOver = true;
      return {
        kind: "served",
        healthFailure: false,
        deferred: true,
        response: {
          kind: "stream",
          status: response.status,
          // The outcome headers are added once the attempt is recorded (`sendToTargets`).
          headers: { "content-type": "text/event-stream; charset=utf-8" },
          stream: inbound.relayStream({
            context,
            upstream:
              deadline === undefined
                ? upstream
                : underDeadline(upstream, deadline, group, heldWithoutContent),
            clientWantsUsage: clientWantsUsage(context.body),
            renderError: (error, sequenceNumber) =>
              options.renderStreamError(error, dialect, context.requestId, sequenceNumber),
            guard:
              context.policy?.watchesOutput === true
                ? replySurfaceFor(context.operation)?.createStreamGuard(context.policy, context.body)
                : undefined,
            onEnd: onStreamOutcome,
          }),
        },
      };
    }
    const bytes = await response.bytes();
    const parsed = parseJson(bytes);
    if (parsed === undefined) {
      return failure(
        new GatewayError(
          "GW_ERR_UPSTREAM_INVALID_RESPONSE",
          `Provider ${target.adapter.name} answered with a body that is not JSON.`,
        ),
      );
    }
    context.usage = inbound.readUsage(parsed as Record<string, unknown>);
    context.tracing?.noteResponse(parsed as Record<string, unknown>);
    if (!hasReportedUsage(context.usage) && context.completionText !== undefined) {
      collectMessageText((parsed as Record<string, unknown>).choices, context.completionText);
    }
    context.ttftMs = performance.now() - context.startedAt;
    return {
      kind: "served",
      healthFailure: false,
      deferred: false,
      response: {
        kind: "body",
        status: response.status,
        headers: { "content-type": "application/json" },
        body: bytes,
      },
    };
  } catch (error) {
    if (context.signal.aborted) throw error;
    const timedOut = deadline?.error(group.firstTokenMs, group.totalMs);
    if (timedOut !== undefined) return failure(timedOut);
    return failure(
      isGatewayError(error)
        ? error
        : new GatewayError("GW_ERR_GATEWAY_INTERNAL", "Unexpected failure while calling the provider.", {
            cause: error,
          }),
    );
  } finally {
    if (!handedOver) deadline?.dispose();
  }
}

function failure(error: GatewayError): AttemptResult {
  const failureClass = classifyGatewayError(error);
  return {
    kind: "failed",
    healthFailure: isHealthFailure(failureClass),
    failureClass,
    status: null,
    errorCode: error.code,
    requestedDelayMs: undefined,
    respond: () => {
      throw error;
    },
  };
}

/**
 * The rest of a committed stream, still under the attempt's timeouts; a timeout reads as a catalog error. Bytes
 * after the `skip` replayed chunks (held back without content) end the first-token wait.
 */
async function* underDeadline(
  upstream: AsyncIterable<Uint8Array>,
  deadline: AttemptDeadline,
  group: GroupResilience,
  skip: number,
): AsyncGenerator<Uint8Array> {
  let seen = 0;
  try {
    for await (const bytes of upstream) {
      seen += 1;
      if (seen > skip) deadline.firstTokenArrived();
      yield bytes;
    }
  } catch (error) {
    throw deadline.error(group.firstTokenMs, group.totalMs) ?? error;
  } finally {
    deadline.dispose();
  }
}

/** The answer's message texts, for estimating output tokens when the upstream reported no usage. */
function collectMessageText(choices: unknown, into: string[]): void {
  if (!Array.isArray(choices)) return;
  for (const choice of choices) {
    const content = (choice as { message?: { content?: unknown } } | null)?.message?.content;
    if (typeof content === "string") into.push(content);
  }
}
