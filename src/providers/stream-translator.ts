import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { ChatDialectCodec } from "../core/dialect-codec.js";

export interface StreamTranslator {
  /** Feeds upstream SSE text (any split); returns the translated SSE text ready so far. */
  feed(text: string): string;
  /** The start of the first event that could not be read, if any; translation stops there. */
  readonly malformed: string | undefined;
}

/** Translates one dialect's SSE stream into another's through canonical stream parts; pure and synchronous. */
export function createStreamTranslator(from: ChatDialectCodec, to: ChatDialectCodec): StreamTranslator {
  const decoder = from.createStreamDecoder();
  const encoder = to.createStreamEncoder();
  let output = "";
  let malformed: string | undefined;
  const parser = createParser({
    onEvent(event: EventSourceMessage) {
      if (malformed !== undefined) return;
      try {
        for (const part of decoder.decode(event.event, event.data)) output += encoder.encode(part);
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
