import type { GatewayError } from "../core/gateway-error.js";

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
