import { GatewayError } from "../core/gateway-error.js";
import { mergeHeaders } from "../core/merge-headers.js";
import type { UpstreamResponse } from "../core/ports/provider-adapter.js";
import type { GatewayContext, GatewayResponse, IncomingHeaders } from "./gateway-context.js";
import type { ResolvedTarget } from "./route-table.js";

const passedThroughHeaders = ["retry-after", "retry-after-ms"];
/** Set by a translating adapter: what the translation could not carry across. */
export const warningsHeader = "x-switchyard-warnings";

/** The client's body with the target's model and params, always asking a streaming upstream for usage. */
export function upstreamBody(context: GatewayContext, target: ResolvedTarget): string {
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

export function clientWantsUsage(body: Record<string, unknown>): boolean {
  const streamOptions = body.stream_options as { include_usage?: unknown } | null | undefined;
  return streamOptions?.include_usage === true;
}

export function forwardedHeaders(
  headers: IncomingHeaders,
  prefixes: readonly string[],
): Record<string, string> {
  const forwarded: Record<string, string> = {};
  if (prefixes.length === 0) return forwarded;
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === "string" && prefixes.some((prefix) => name.startsWith(prefix)))
      forwarded[name] = value;
  }
  return forwarded;
}

/** Which target served (or last failed), how many attempts it took, retries and fallbacks, for every answer. */
export function outcomeHeaders(context: GatewayContext): Record<string, string> {
  return addOutcomeHeaders({}, context);
}

/** `headers` (copied) followed by the outcome headers. */
export function withOutcomeHeaders(
  headers: Readonly<Record<string, string>>,
  context: GatewayContext,
): Record<string, string> {
  return addOutcomeHeaders(mergeHeaders(headers), context);
}

export function successHeaders(context: GatewayContext, contentType: string): Record<string, string> {
  return addOutcomeHeaders({ "content-type": contentType }, context);
}

function addOutcomeHeaders(headers: Record<string, string>, context: GatewayContext): Record<string, string> {
  if (context.target !== null) headers["x-switchyard-target"] = context.target;
  const { attempts } = context;
  if (attempts.length > 0) {
    let made = 0;
    let retries = 0;
    let fallbacks = 0;
    for (const attempt of attempts) {
      if (attempt.outcome === "skipped") continue;
      made += 1;
      if (attempt.reason === "retry") retries += 1;
      else if (attempt.reason === "fallback") fallbacks += 1;
    }
    headers["x-switchyard-attempts"] = String(made);
    if (retries > 0) headers["x-switchyard-retries"] = String(retries);
    if (fallbacks > 0) headers["x-switchyard-fallback"] = String(fallbacks);
  }
  const policySummary = context.policy?.headerSummary;
  if (policySummary !== undefined && policySummary !== "") headers["x-switchyard-policy"] = policySummary;
  if (context.warnings !== null) headers[warningsHeader] = context.warnings;
  return headers;
}

/** Passes an upstream error through with its status; a body that is not an OpenAI error object is wrapped. */
export function upstreamErrorResponse(
  context: GatewayContext,
  target: ResolvedTarget,
  response: Pick<UpstreamResponse, "status" | "headers">,
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

export function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"));
  } catch {
    return undefined;
  }
}
