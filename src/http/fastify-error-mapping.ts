import { GatewayError, isGatewayError } from "../core/gateway-error.js";

interface FrameworkError {
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly message?: unknown;
}

/** Turns Fastify's own request errors (body parsing, limits, media type) into catalog errors. */
export function fromFastifyError(error: unknown, bodyLimitBytes: number): GatewayError {
  if (isGatewayError(error)) return error;
  const framework = (error ?? {}) as FrameworkError;
  switch (framework.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return bodyTooLarge(bodyLimitBytes);
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new GatewayError(
        "GW_ERR_REQUEST_UNSUPPORTED_MEDIA_TYPE",
        "Unsupported Content-Type; send the body as application/json.",
      );
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return emptyBody();
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return invalidJson(String(framework.message));
    default:
      break;
  }
  if (error instanceof SyntaxError && framework.statusCode === 400) return invalidJson(error.message);
  if (typeof framework.statusCode === "number" && framework.statusCode >= 400 && framework.statusCode < 500) {
    return new GatewayError("GW_ERR_REQUEST_INVALID_BODY", String(framework.message ?? "Bad request."), {
      status: framework.statusCode,
    });
  }
  return new GatewayError("GW_ERR_GATEWAY_INTERNAL", "Internal error.", { cause: error });
}

/** The body errors of both readers of model requests: Fastify's parser and the model-request listener. */
export function bodyTooLarge(bodyLimitBytes: number): GatewayError {
  return new GatewayError(
    "GW_ERR_REQUEST_BODY_TOO_LARGE",
    `The request body is larger than the limit of ${bodyLimitBytes} bytes.`,
  );
}

export function emptyBody(): GatewayError {
  return new GatewayError("GW_ERR_REQUEST_INVALID_JSON", "The request body is empty; send a JSON object.");
}

export function invalidJson(reason: string): GatewayError {
  return new GatewayError("GW_ERR_REQUEST_INVALID_JSON", `The request body is not valid JSON (${reason}).`);
}
