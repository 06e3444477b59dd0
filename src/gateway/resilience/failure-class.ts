import type { FailureClass } from "../../core/gateway-config.js";
import type { GatewayError } from "../../core/gateway-error.js";

const contextWindowCodes = new Set(["context_length_exceeded", "string_above_max_length"]);
const contextWindowText = /context[ _-]?(length|window)|maximum context|too many tokens|prompt is too long/i;
const contentPolicyCodes = new Set(["content_filter", "content_policy_violation", "content_filtered"]);
const contentPolicyText = /content[ _-]?(management[ _-]?)?(policy|filter)|safety system/i;

/** Classifies an upstream HTTP error from its status and (OpenAI-style) error body. */
export function classifyUpstreamStatus(status: number, body: unknown): FailureClass {
  if (status === 429) return "rate-limited";
  if (status === 408 || status === 504) return "timeout";
  if (status >= 500 || status === 409) return "server-error";
  const error = errorObject(body);
  const code = typeof error?.code === "string" ? error.code : "";
  const message = typeof error?.message === "string" ? error.message : "";
  if (contextWindowCodes.has(code) || (status === 400 && contextWindowText.test(message)))
    return "context-window";
  if (contentPolicyCodes.has(code) || (status === 400 && contentPolicyText.test(message)))
    return "content-policy";
  return "client-error";
}

/** Classifies a failure the gateway raised itself (transport, timeout, broken stream). */
export function classifyGatewayError(error: GatewayError): FailureClass {
  switch (error.code) {
    case "GW_ERR_UPSTREAM_TIMEOUT":
    case "GW_ERR_REQUEST_DEADLINE_EXCEEDED":
      return "timeout";
    default:
      return error.retryable ? "server-error" : "client-error";
  }
}

/** Failures that say something about the target's health (and so count against its circuit breaker). */
export function isHealthFailure(failureClass: FailureClass): boolean {
  return failureClass === "rate-limited" || failureClass === "server-error" || failureClass === "timeout";
}

function errorObject(body: unknown): Record<string, unknown> | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const error = (body as Record<string, unknown>).error;
  return error !== null && typeof error === "object" ? (error as Record<string, unknown>) : undefined;
}
