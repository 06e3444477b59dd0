import { EventStreamCodec, getChunkedStream, type Message } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/core/serde";
import { GatewayError } from "../../core/gateway-error.js";
import { isRecord, optionalString } from "../../core/json-value.js";
import { bedrockExceptionEvent } from "./bedrock-stream.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const encoder = new TextEncoder();

/** What to add to the `messageStart` payload, which names neither the request nor the model. */
export interface MessageStartFields {
  readonly requestId: string;
  readonly modelId: string;
}

/**
 * Turns ConverseStream's binary event stream (`application/vnd.amazon.eventstream`: length-prefixed messages
 * with typed headers and CRCs, framed and decoded by `@smithy/core`) into SSE text, one `event: <:event-type>`
 * frame per message, so the SSE stream translator reads it like any other dialect. Exception messages
 * (`:message-type: exception`, e.g. `throttlingException`) become `event: error` with
 * `{"__type": <exception>, "message": …}`. A stream cut inside a message or a corrupt frame (bad CRC) rejects
 * with GW_ERR_STREAM_INTERRUPTED; leaving the loop early returns the source, releasing the connection.
 */
export async function* eventStreamToSse(
  source: AsyncIterable<Uint8Array>,
  start: MessageStartFields,
  providerName: string,
): AsyncIterable<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  try {
    for await (const frame of getChunkedStream({ [Symbol.asyncIterator]: () => iterator })) {
      yield encoder.encode(messageToSse(decode(frame, providerName), start));
    }
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new GatewayError(
      "GW_ERR_STREAM_INTERRUPTED",
      `Provider ${providerName} broke off its event stream (${error instanceof Error ? error.message : "unknown"}).`,
    );
  } finally {
    await iterator.return?.();
  }
}

function decode(frame: Uint8Array, providerName: string): Message {
  try {
    return codec.decode(frame);
  } catch (error) {
    throw new GatewayError(
      "GW_ERR_STREAM_INTERRUPTED",
      `Provider ${providerName} sent a corrupt event stream message (${error instanceof Error ? error.message : "unknown"}).`,
    );
  }
}

function header(message: Message, name: string): string | undefined {
  const value = message.headers[name];
  return value?.type === "string" ? value.value : undefined;
}

/** One decoded message as one SSE frame. */
export function messageToSse(message: Message, start: MessageStartFields): string {
  const payload = toUtf8(message.body);
  const messageType = header(message, ":message-type");
  if (messageType === "event") {
    const eventType = header(message, ":event-type") ?? "unknown";
    if (eventType === "messageStart") {
      const parsed = parseRecord(payload);
      return sse(
        eventType,
        JSON.stringify({ ...parsed, requestId: start.requestId, modelId: start.modelId }),
      );
    }
    // Raw newlines in JSON can only be whitespace, so flattening them keeps the payload intact on one data line.
    return sse(eventType, payload.replace(/\r?\n/g, " "));
  }
  const exceptionType =
    header(message, ":exception-type") ?? header(message, ":error-code") ?? "internalServerException";
  const parsed = parseRecord(payload);
  const text = optionalString(parsed.message) ?? header(message, ":error-message") ?? payload;
  return sse(bedrockExceptionEvent, JSON.stringify({ __type: exceptionType, message: text }));
}

function sse(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}

function parseRecord(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}
