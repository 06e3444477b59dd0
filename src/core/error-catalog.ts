/**
 * The one catalog of gateway error codes. Every error a client can receive carries one of these codes.
 * `docs/errors.md` documents each entry; `error-catalog.test.ts` keeps the two in step.
 *
 * - `status`: the HTTP status sent to the client.
 * - `type`: the OpenAI-dialect error `type` (Anthropic-dialect mapping is derived from the status).
 * - `retryable`: whether a client may retry the same request unchanged.
 */
export interface ErrorCatalogEntry {
  readonly status: number;
  readonly type: ErrorType;
  readonly retryable: boolean;
  readonly summary: string;
}

export type ErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "rate_limit_error"
  | "api_error"
  | "overloaded_error"
  | "timeout_error"
  | "insufficient_quota";

export const errorCatalog = {
  GW_ERR_REQUEST_INVALID_JSON: {
    status: 400,
    type: "invalid_request_error",
    retryable: false,
    summary: "The request body is not valid JSON.",
  },
  GW_ERR_REQUEST_INVALID_BODY: {
    status: 400,
    type: "invalid_request_error",
    retryable: false,
    summary: "The request body is JSON but a field is missing or has the wrong type; `param` names it.",
  },
  GW_ERR_REQUEST_BODY_TOO_LARGE: {
    status: 413,
    type: "invalid_request_error",
    retryable: false,
    summary: "The request body is larger than `server.bodyLimitBytes`.",
  },
  GW_ERR_REQUEST_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    type: "invalid_request_error",
    retryable: false,
    summary: "The request's Content-Type is not `application/json`.",
  },
  GW_ERR_ROUTE_NOT_FOUND: {
    status: 404,
    type: "not_found_error",
    retryable: false,
    summary: "No endpoint exists at this method and path.",
  },
  GW_ERR_AUTH_MISSING_KEY: {
    status: 401,
    type: "authentication_error",
    retryable: false,
    summary: "No API key was sent (`Authorization: Bearer …` or `x-api-key`).",
  },
  GW_ERR_AUTH_INVALID_KEY: {
    status: 401,
    type: "authentication_error",
    retryable: false,
    summary: "The API key is unknown or has been revoked.",
  },
  GW_ERR_AUTH_MODEL_NOT_ALLOWED: {
    status: 403,
    type: "permission_error",
    retryable: false,
    summary: "The key exists but may not use the requested model.",
  },
  GW_ERR_LEVER_NO_TARGET: {
    status: 503,
    type: "overloaded_error",
    retryable: true,
    summary: "Incident levers (disabled targets, forced fallback) leave the model group no target to try.",
  },
  GW_ERR_LEVER_TOOLS_DISABLED: {
    status: 400,
    type: "invalid_request_error",
    retryable: false,
    summary:
      "Tool calls are disabled for this model group by an incident lever; send the request without `tools`.",
  },
  GW_ERR_MODEL_NOT_FOUND: {
    status: 404,
    type: "not_found_error",
    retryable: false,
    summary: "No model group with this public name is configured.",
  },
  GW_ERR_POLICY_BLOCKED: {
    status: 400,
    type: "invalid_request_error",
    retryable: false,
    summary:
      "A safety policy blocked the request before it reached the model; the message names the policy and the detection type, never the value.",
  },
  GW_ERR_POLICY_OUTPUT_BLOCKED: {
    status: 422,
    type: "invalid_request_error",
    retryable: false,
    summary:
      "A safety policy blocked the model's answer (in a stream: a final error event, no `[DONE]`); the message names the policy and the detection type.",
  },
  GW_ERR_POLICY_TOOL_NOT_ALLOWED: {
    status: 422,
    type: "invalid_request_error",
    retryable: false,
    summary:
      "The model called a tool outside the allowlist that applies to this request; the message names the tool.",
  },
  GW_ERR_POLICY_TOOL_ARGUMENTS_INVALID: {
    status: 422,
    type: "invalid_request_error",
    retryable: false,
    summary:
      "The model called a tool with arguments that do not match the tool's `parameters` JSON Schema from the request.",
  },
  GW_ERR_UPSTREAM_ERROR: {
    status: 502,
    type: "api_error",
    retryable: true,
    summary:
      "The upstream provider answered with an error; its status and message are passed through unchanged where it sent them.",
  },
  GW_ERR_UPSTREAM_UNREACHABLE: {
    status: 502,
    type: "api_error",
    retryable: true,
    summary: "The upstream provider could not be reached, or it reset the connection before answering.",
  },
  GW_ERR_UPSTREAM_TIMEOUT: {
    status: 504,
    type: "timeout_error",
    retryable: true,
    summary: "The upstream provider did not answer within the target's timeout.",
  },
  GW_ERR_UPSTREAM_INVALID_RESPONSE: {
    status: 502,
    type: "api_error",
    retryable: true,
    summary: "The upstream answered with a body that is not the JSON or event stream its dialect promises.",
  },
  GW_ERR_STREAM_INTERRUPTED: {
    status: 502,
    type: "api_error",
    retryable: true,
    summary:
      "A streamed response broke off after it began (cut, stall or malformed event); sent as a final error event, never as a clean end.",
  },
  GW_ERR_CLIENT_DISCONNECTED: {
    status: 499,
    type: "api_error",
    retryable: true,
    summary:
      "The client closed the connection before the response was complete; recorded in the request log only, never sent.",
  },
  GW_ERR_SHUTTING_DOWN: {
    status: 503,
    type: "overloaded_error",
    retryable: true,
    summary:
      "The gateway is shutting down: it finishes the requests in flight but takes no new ones; retry on a new connection.",
  },
  GW_ERR_STORAGE_UNAVAILABLE: {
    status: 503,
    type: "overloaded_error",
    retryable: true,
    summary: "The storage backend did not answer; reported by `/readyz`.",
  },
  GW_ERR_GATEWAY_INTERNAL: {
    status: 500,
    type: "api_error",
    retryable: true,
    summary: "An unexpected error inside the gateway; the request id in the response finds it in the logs.",
  },
  // Tenancy and access
  GW_ERR_AUTH_KEY_EXPIRED: {
    status: 401,
    type: "authentication_error",
    retryable: false,
    summary: "The API key is past its expiry, or it was rotated and its grace period is over.",
  },
  GW_ERR_AUTH_ENDPOINT_NOT_ALLOWED: {
    status: 403,
    type: "permission_error",
    retryable: false,
    summary: "The key exists but may not call this endpoint (its allowed endpoints exclude it).",
  },
  GW_ERR_ADMIN_FORBIDDEN: {
    status: 403,
    type: "permission_error",
    retryable: false,
    summary:
      "The key's admin role does not allow this admin API action, or the action would reach beyond its team or role.",
  },
  GW_ERR_ADMIN_NOT_FOUND: {
    status: 404,
    type: "not_found_error",
    retryable: false,
    summary:
      "No team, project or key with this id is visible to the caller (outside its team counts as absent).",
  },
  GW_ERR_ADMIN_CONFLICT: {
    status: 409,
    type: "invalid_request_error",
    retryable: false,
    summary:
      "The change conflicts with what is stored: a name already taken, or a team or project that still has keys.",
  },
  GW_ERR_ADMIN_INVALID_REQUEST: {
    status: 400,
    type: "invalid_request_error",
    retryable: false,
    summary: "An admin API body, path or query parameter is missing or malformed; `param` names it.",
  },
  // Routing and backpressure
  GW_ERR_ROUTING_CONTEXT_TOO_LONG: {
    status: 400,
    type: "invalid_request_error",
    retryable: false,
    summary:
      "The request's estimated input tokens plus its `max_tokens` fit no target's context window (nor the group's `contextFallback`).",
  },
  GW_ERR_ROUTING_NO_CAPABLE_TARGET: {
    status: 400,
    type: "invalid_request_error",
    retryable: false,
    summary:
      "No target of the model group can serve the request: it asks for tools or images that every target declares it lacks, or a routing rule kept none.",
  },
  GW_ERR_OVERLOADED_QUEUE_FULL: {
    status: 503,
    type: "overloaded_error",
    retryable: true,
    summary: "Every slot is busy and the admission queue is full; retry after `Retry-After` seconds.",
  },
  GW_ERR_OVERLOADED_QUEUE_TIMEOUT: {
    status: 503,
    type: "overloaded_error",
    retryable: true,
    summary:
      "The request waited `backpressure.queueTimeoutMs` for a slot without getting one; retry after `Retry-After` seconds.",
  },
  GW_ERR_OVERLOADED_EVENT_LOOP: {
    status: 503,
    type: "overloaded_error",
    retryable: true,
    summary:
      "The gateway is shedding load because its event loop lags past `backpressure.maxEventLoopLagMs`; retry after `Retry-After` seconds.",
  },
  // resilience: circuit breakers and deadlines
  GW_ERR_UPSTREAM_CIRCUIT_OPEN: {
    status: 503,
    type: "overloaded_error",
    retryable: true,
    summary:
      "Every target of the model group is skipped because its circuit breaker is open; `Retry-After` says when the first one probes again.",
  },
  GW_ERR_REQUEST_DEADLINE_EXCEEDED: {
    status: 504,
    type: "timeout_error",
    retryable: true,
    summary:
      "The request did not complete within `resilience.timeouts.totalMs` (across every retry and fallback).",
  },
  // Rate limits (docs/rate-limits.md)
  GW_ERR_RATE_LIMIT_EXCEEDED: {
    status: 429,
    type: "rate_limit_error",
    retryable: true,
    summary:
      "A rate limit (requests or tokens per minute, or requests in flight) is reached; the message names the rule and the limit, `Retry-After` says when to retry.",
  },
  GW_ERR_RATE_LIMIT_REQUEST_TOO_LARGE: {
    status: 400,
    type: "invalid_request_error",
    retryable: false,
    summary:
      "The request's token estimate (input plus allowed output) is larger than a tokens-per-minute limit could ever admit; lower `max_tokens` or the input.",
  },
  GW_ERR_RATE_LIMIT_UNAVAILABLE: {
    status: 503,
    type: "overloaded_error",
    retryable: true,
    summary: "The rate-limit counters (Redis) did not answer and `limits.onStoreError` is `refuse`.",
  },
  // Cost and budgets (docs/cost.md)
  GW_ERR_BUDGET_EXCEEDED: {
    status: 402,
    type: "insufficient_quota",
    retryable: false,
    summary:
      "A hard USD budget of the key, its project or its team cannot cover the request's worst-case cost this period; the message names the budget, and `Retry-After` says when the period resets.",
  },
  GW_ERR_BUDGET_MODEL_UNPRICED: {
    status: 403,
    type: "permission_error",
    retryable: false,
    summary:
      "The caller is under a budget and the model has no price in the catalog or `cost.prices` (with `cost.unpricedModels: block`).",
  },
  GW_ERR_BUDGET_UNAVAILABLE: {
    status: 503,
    type: "overloaded_error",
    retryable: true,
    summary: "The budget counters (Redis) did not answer, so the request was not sent.",
  },
  // Anthropic dialect and cross-dialect translation (anthropic).
  GW_ERR_TRANSLATION_UNSUPPORTED: {
    status: 400,
    type: "invalid_request_error",
    retryable: false,
    summary:
      "The request uses a feature the target provider's dialect cannot express (e.g. `n` > 1 for Anthropic, embeddings on an Anthropic provider, document blocks for an OpenAI-dialect provider); the message names it.",
  },
} as const satisfies Record<string, ErrorCatalogEntry>;

export type ErrorCode = keyof typeof errorCatalog;
