import { readFileSync } from "node:fs";
import { EventStreamCodec, type MessageHeaders } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/core/serde";

/** One recorded ConverseStream message: an event (`eventType`) or an exception (`exceptionType`). */
export type RecordedStreamMessage =
  | { readonly eventType: string; readonly payload: Record<string, unknown> }
  | { readonly exceptionType: string; readonly payload: Record<string, unknown> };

/** A recorded Bedrock error answer: status, headers and JSON body. */
export interface RecordedError {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

/** Reads a recorded Bedrock wire fixture from `__fixtures__/`. */
export function bedrockFixture(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");
}

export function bedrockJson<Shape = Record<string, unknown>>(name: string): Shape {
  return JSON.parse(bedrockFixture(name)) as Shape;
}

export function streamMessages(name: string): RecordedStreamMessage[] {
  return bedrockJson<RecordedStreamMessage[]>(name);
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** Encodes recorded messages as the binary event-stream frames Bedrock sends (headers as Bedrock sets them). */
export function encodeStreamMessages(messages: readonly RecordedStreamMessage[]): Uint8Array[] {
  return messages.map((message) => {
    const headers: MessageHeaders =
      "eventType" in message
        ? {
            ":event-type": { type: "string", value: message.eventType },
            ":content-type": { type: "string", value: "application/json" },
            ":message-type": { type: "string", value: "event" },
          }
        : {
            ":exception-type": { type: "string", value: message.exceptionType },
            ":content-type": { type: "string", value: "application/json" },
            ":message-type": { type: "string", value: "exception" },
          };
    return codec.encode({ headers, body: fromUtf8(JSON.stringify(message.payload)) });
  });
}
