import type { GatewayError } from "../core/gateway-error.js";
import type { ClientDialect } from "../core/ports/provider-adapter.js";
import { anthropicStreamErrorEvent } from "./anthropic-error-body.js";

/** OpenAI's error object: `{"error":{"message","type","param","code"}}`, with our catalog code as `code`. */
export function openAiErrorBody(error: GatewayError): string {
  return JSON.stringify({
    error: { message: error.message, type: error.type, param: error.param ?? null, code: error.code },
  });
}

/** The same object as the last event of an OpenAI-dialect stream; the official SDKs raise it as an APIError. */
export function openAiStreamErrorEvent(error: GatewayError): string {
  return `data: ${openAiErrorBody(error)}\n\n`;
}

/**
 * A Responses stream's `error` event (https://platform.openai.com/docs/api-reference/responses-streaming/error):
 * flat `code`, `message`, `param`, numbered after the last event the client received.
 */
export function responsesStreamErrorEvent(error: GatewayError, sequenceNumber: number): string {
  const event = {
    type: "error",
    code: error.code,
    message: error.message,
    param: error.param ?? null,
    sequence_number: sequenceNumber,
  };
  return `event: error\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The last event of a failed stream in the caller's dialect; `requestId` goes into Anthropic's error object. */
export function streamErrorEvent(
  error: GatewayError,
  dialect: ClientDialect,
  requestId: string,
  sequenceNumber = 0,
): string {
  switch (dialect) {
    case "anthropic":
      return anthropicStreamErrorEvent(error, requestId);
    case "openai-responses":
      return responsesStreamErrorEvent(error, sequenceNumber);
    case "openai":
      return openAiStreamErrorEvent(error);
  }
}
