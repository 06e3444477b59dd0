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
  | "timeout_error";

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
