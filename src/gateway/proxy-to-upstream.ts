import { GatewayError, isGatewayError } from "../core/gateway-error.js";
import { type Dialect, operationDialect, type UpstreamResponse } from "../core/ports/provider-adapter.js";
import type { GatewayHandler } from "./compose-steps.js";
import type { GatewayContext, GatewayResponse, IncomingHeaders } from "./gateway-context.js";
import { inboundDialects } from "./inbound-dialects.js";
import { guardChatBody } from "./policy/guard-chat-body.js";
import { OpenAiStreamGuard } from "./policy/openai-stream-guard.js";
import type { ResolvedTarget } from "./route-table.js";

export interface ProxyOptions {
  /** Renders an error as one event of the caller's stream dialect. */
  readonly renderStreamError: (error: GatewayError, dialect: Dialect, requestId: string) => string;
}

/**
 * Statuses after which the next target in the group is tried, when there is one; 529 is Anthropic's
 * "overloaded" (https://docs.anthropic.com/en/api/errors).
 */
const fallbackStatuses = new Set([408, 409, 429, 500, 502, 503, 504, 529]);
const passedThroughHeaders = ["retry-after", "retry-after-ms"];
/** Set by a translating adapter: what the translation could not carry across. */
const warningsHeader = "x-switchyard-warnings";

/**
 * Same-dialect passthrough: the client's body goes upstream with only the model, the target's params and
 * `stream_options.include_usage` rewritten; the upstream's bytes come back unchanged (streams event by event).
 * Targets are tried in order while the failure happens before anything reached the client.
 */
export function proxyToUpstream(options: ProxyOptions): GatewayHandler {
  const send = sendToTargets(options);
  return async (context) => {
    const response = await send(context);
    const policy = context.policy;
    if (policy === undefined || !policy.watchesOutput || response.kind !== "body" || response.status >= 400) {
      return response;
    }
    if (context.operation !== "chat.completions") return response;
    const parsed = parseJson(typeof response.body === "string" ? Buffer.from(response.body) : response.body);
    if (parsed === null || typeof parsed !== "object") return response;
    const guarded = guardChatBody(parsed as Record<string, unknown>, policy, context.body);
    return {
      ...response,
      headers: successHeaders(context, "application/json"),
      body: JSON.stringify(guarded),
    };
  };
}

function sendToTargets(options: ProxyOptions): GatewayHandler {
  return async (context) => {
    const targets = context.route?.targets ?? [];
    const dialect = operationDialect[context.operation];
    const inbound = inboundDialects[dialect];
    for (const [index, target] of targets.entries()) {
      const isLast = index === targets.length - 1;
      const began = performance.now();
      context.target = target.label;
      try {
        const response = await target.adapter.send({
          operation: context.operation,
          body: upstreamBody(context, target),
          forwardedHeaders: forwardedHeaders(
            context.headers,
            target.adapter.capabilities.forwardedHeaderPrefixes,
          ),
          signal: context.signal,
        });
        const warnings = response.headers[warningsHeader];
        context.warnings = typeof warnings === "string" ? warnings : null;
        if (response.status >= 400) {
          const bytes = await response.bytes();
          finishAttempt(context, target, began, response.status, "GW_ERR_UPSTREAM_ERROR");
          if (!isLast && fallbackStatuses.has(response.status)) continue;
          return upstreamErrorResponse(context, target, response, bytes);
        }
        if (context.stream) {
          finishAttempt(context, target, began, response.status, null);
          return {
            kind: "stream",
            status: response.status,
            headers: successHeaders(context, "text/event-stream; charset=utf-8"),
            stream: inbound.relayStream({
              context,
              upstream: response.body,
              clientWantsUsage: clientWantsUsage(context.body),
              renderError: (error) => options.renderStreamError(error, dialect, context.requestId),
              guard:
                context.policy?.watchesOutput === true && context.operation === "chat.completions"
                  ? new OpenAiStreamGuard(context.policy, context.body)
                  : undefined,
            }),
          };
        }
        const bytes = await response.bytes();
        const parsed = parseJson(bytes);
        if (parsed === undefined) {
          throw new GatewayError(
            "GW_ERR_UPSTREAM_INVALID_RESPONSE",
            `Provider ${target.adapter.name} answered with a body that is not JSON.`,
          );
        }
        context.usage = inbound.readUsage(parsed as Record<string, unknown>);
        finishAttempt(context, target, began, response.status, null);
        context.ttftMs = performance.now() - context.startedAt;
        return {
          kind: "body",
          status: response.status,
          headers: successHeaders(context, "application/json"),
          body: bytes,
        };
      } catch (error) {
        if (context.signal.aborted) throw error;
        const failure = isGatewayError(error)
          ? error
          : new GatewayError("GW_ERR_GATEWAY_INTERNAL", "Unexpected failure while calling the provider.", {
              cause: error,
            });
        finishAttempt(context, target, began, null, failure.code);
        if (!isLast && failure.retryable) continue;
        throw failure;
      }
    }
    throw new GatewayError("GW_ERR_GATEWAY_INTERNAL", "The model group has no targets.");
  };
}

function upstreamBody(context: GatewayContext, target: ResolvedTarget): string {
  const body: Record<string, unknown> = { ...context.body, ...target.params, model: target.upstreamModel };
  if (context.stream && context.operation === "chat.completions" && target.adapter.capabilities.streamUsage) {
    const clientOptions = context.body.stream_options;
    body.stream_options = {
      ...(clientOptions !== null && typeof clientOptions === "object" ? clientOptions : {}),
      include_usage: true,
    };
  }
  return JSON.stringify(body);
}

function clientWantsUsage(body: Record<string, unknown>): boolean {
  const streamOptions = body.stream_options as { include_usage?: unknown } | null | undefined;
  return streamOptions?.include_usage === true;
}

function forwardedHeaders(headers: IncomingHeaders, prefixes: readonly string[]): Record<string, string> {
  const forwarded: Record<string, string> = {};
  if (prefixes.length === 0) return forwarded;
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === "string" && prefixes.some((prefix) => name.startsWith(prefix)))
      forwarded[name] = value;
  }
  return forwarded;
}

function finishAttempt(
  context: GatewayContext,
  target: ResolvedTarget,
  began: number,
  status: number | null,
  errorCode: string | null,
): void {
  const durationMs = performance.now() - began;
  context.upstreamMs += durationMs;
  context.attempts.push({ target: target.label, status, errorCode, durationMs });
}

/** Which target served (or last failed) and how many attempts it took, for every gateway answer. */
export function outcomeHeaders(context: GatewayContext): Record<string, string> {
  const headers: Record<string, string> = {};
  if (context.target !== null) headers["x-switchyard-target"] = context.target;
  if (context.attempts.length > 0) headers["x-switchyard-attempts"] = String(context.attempts.length);
  const policySummary = context.policy?.headerSummary;
  if (policySummary !== undefined && policySummary !== "") headers["x-switchyard-policy"] = policySummary;
  if (context.warnings !== null) headers[warningsHeader] = context.warnings;
  return headers;
}

function successHeaders(context: GatewayContext, contentType: string): Record<string, string> {
  return { "content-type": contentType, ...outcomeHeaders(context) };
}

/** Passes an upstream error through with its status; a body that is not an OpenAI error object is wrapped. */
function upstreamErrorResponse(
  context: GatewayContext,
  target: ResolvedTarget,
  response: UpstreamResponse,
  bytes: Uint8Array,
): GatewayResponse {
  context.errorCode = "GW_ERR_UPSTREAM_ERROR";
  const headers: Record<string, string> = successHeaders(context, "application/json");
  for (const name of passedThroughHeaders) {
    const value = response.headers[name];
    if (typeof value === "string") headers[name] = value;
  }
  const parsed = parseJson(bytes) as { error?: unknown } | undefined;
  if (parsed?.error !== null && typeof parsed?.error === "object") {
    return { kind: "body", status: response.status, headers, body: bytes };
  }
  const snippet = Buffer.from(bytes).toString("utf8").slice(0, 200);
  const error = new GatewayError(
    "GW_ERR_UPSTREAM_ERROR",
    `Provider ${target.adapter.name} answered HTTP ${response.status}: ${snippet}`,
    { status: response.status },
  );
  return { kind: "error", error, headers };
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"));
  } catch {
    return undefined;
  }
}
