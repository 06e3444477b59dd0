import type { RequestIssue, WireErrorBody } from "./simulator-wire.js";

/** Error bodies worded as OpenAI words them, so clients and gateways classify them as they would upstream. */

export function errorBody(
  message: string,
  type: string,
  param: string | null,
  code: string | null,
): WireErrorBody {
  return { error: { message, type, param, code } };
}

export function invalidRequestBody(issue: RequestIssue): WireErrorBody {
  return errorBody(issue.message, "invalid_request_error", issue.param, issue.code);
}

export function invalidJsonBody(): WireErrorBody {
  return errorBody(
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
    "invalid_request_error",
    null,
    null,
  );
}

export function bodyTooLargeBody(limitBytes: number): WireErrorBody {
  return errorBody(
    `Request body exceeds ${limitBytes} bytes.`,
    "invalid_request_error",
    null,
    "request_too_large",
  );
}

export function invalidUrlBody(method: string, path: string): WireErrorBody {
  return errorBody(`Invalid URL (${method} ${path})`, "invalid_request_error", null, null);
}

export function modelNotFoundBody(model: string): WireErrorBody {
  return errorBody(
    `The model '${model}' does not exist or you do not have access to it.`,
    "invalid_request_error",
    "model",
    "model_not_found",
  );
}

export function rateLimitBody(model: string, retryAfterMs: number): WireErrorBody {
  const seconds = retryAfterMs / 1000;
  return errorBody(
    `Rate limit reached for ${model} in organization org-simulator on requests per min (RPM): Limit 60, Used 60, Requested 1. Please try again in ${seconds}s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
    "requests",
    null,
    "rate_limit_exceeded",
  );
}

export function serverErrorBody(): WireErrorBody {
  return errorBody(
    "The server had an error while processing your request. Sorry about that!",
    "server_error",
    null,
    null,
  );
}
