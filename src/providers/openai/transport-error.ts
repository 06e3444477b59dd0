import { errors as undiciErrors } from "undici";
import { GatewayError } from "../../core/gateway-error.js";

/**
 * Maps an undici transport failure to a catalog error naming `subject` (e.g. "Provider openai"); an abort (the
 * client went away) and errors that are already catalog errors pass through unchanged.
 */
export function toTransportError(error: unknown, subject: string): unknown {
  if (error instanceof GatewayError) return error;
  if (error instanceof Error && error.name === "AbortError") return error;
  if (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError
  ) {
    return new GatewayError("GW_ERR_UPSTREAM_TIMEOUT", `${subject} timed out (${error.message}).`, {
      cause: error,
    });
  }
  const detail =
    error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);
  return new GatewayError("GW_ERR_UPSTREAM_UNREACHABLE", `${subject} is unreachable (${detail}).`, {
    cause: error,
  });
}
