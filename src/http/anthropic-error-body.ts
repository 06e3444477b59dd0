import type { GatewayError } from "../core/gateway-error.js";

/** Anthropic's error `type` by HTTP status (https://docs.anthropic.com/en/api/errors); else the catalog's type. */
const typesByStatus: Readonly<Record<number, string>> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  529: "overloaded_error",
};

/**
 * Anthropic's error object, `{"type":"error","error":{"type","message"},"request_id"}`, with our catalog code
 * added as `error.code` (Anthropic defines no such field; the SDK keeps the whole body in `APIError.error`).
 */
export function anthropicErrorBody(error: GatewayError, requestId: string): string {
  return JSON.stringify({
    type: "error",
    error: { type: typesByStatus[error.status] ?? error.type, message: error.message, code: error.code },
    request_id: requestId,
  });
}

/** The same object as an `event: error` frame, the way Anthropic ends a stream that failed after it began. */
export function anthropicStreamErrorEvent(error: GatewayError, requestId: string): string {
  return `event: error\ndata: ${anthropicErrorBody(error, requestId)}\n\n`;
}
