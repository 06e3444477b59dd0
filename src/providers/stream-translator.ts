import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { CanonicalUsage } from "../core/canonical-chat.js";
import type { ClientChatCodec, UpstreamChatCodec } from "../core/dialect-codec.js";

export interface StreamTranslator {
  /** Feeds upstream SSE text (any split); returns the translated SSE text ready so far. */
  feed(text: string): string;
  /** The start of the first event that could not be read, if any; translation stops there. */
  readonly malformed: string | undefined;
}

/**
 * Translates one dialect's SSE stream into another's through canonical stream parts; pure and synchronous.
 * When the upstream ends without usage, `fallbackUsage` (given the answer's text) supplies an estimate.
 */
export function createStreamTranslator(
  from: UpstreamChatCodec,
  to: ClientChatCodec,
  fallbackUsage?: (answerText: string) => CanonicalUsage,
): StreamTranslator {
  const decoder = from.createStreamDecoder();
  const encoder = to.createStreamEncoder();
  let output = "";
  let malformed: string | undefined;
  let failed = false;
  let sawUsage = false;
  let answer = "";
  const parser = createParser({
    onEvent(event: EventSourceMessage) {
      if (malformed !== undefined || failed) return;
      try {
        for (const part of decoder.decode(event.event, event.data)) {
          // An error inside the stream ends it: nothing after it (Azure may still send `[DONE]`) is translated.
          if (part.type === "error") failed = true;
          if (part.type === "usage") sawUsage = true;
          else if (part.type === "text-delta" || part.type === "reasoning-delta") answer += part.text;
          else if (part.type === "tool-call-delta") answer += part.argumentsDelta;
          else if (part.type === "end" && !sawUsage && fallbackUsage !== undefined) {
            output += encoder.encode({ type: "usage", usage: fallbackUsage(answer) });
          }
          output += encoder.encode(part);
          if (failed) break;
        }
      } catch {
        malformed = event.data.slice(0, 80);
      }
    },
  });
  return {
    feed(text) {
      parser.feed(text);
      const ready = output;
      output = "";
      return ready;
    },
    get malformed() {
      return malformed;
    },
  };
}
