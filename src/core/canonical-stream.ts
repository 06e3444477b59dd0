import type { CanonicalFinishReason, CanonicalUsage } from "./canonical-chat.js";

/**
 * One streamed event in canonical form. A decoder turns a dialect's events into parts; an encoder turns parts
 * into another dialect's events. Usage and the finish reason travel as parts, not side channels. `end` is only
 * emitted when the upstream ended the stream properly, so a cut stream never gets a clean ending downstream.
 */
export type CanonicalStreamPart =
  | { readonly type: "response-start"; readonly id: string; readonly model: string }
  | { readonly type: "text-delta"; readonly text: string }
  | { readonly type: "reasoning-delta"; readonly text: string }
  | { readonly type: "reasoning-signature"; readonly signature: string }
  | { readonly type: "redacted-reasoning"; readonly data: string }
  /** `toolIndex` counts the tool calls of the response from 0, whatever block or choice index carries them. */
  | {
      readonly type: "tool-call-start";
      readonly toolIndex: number;
      readonly id: string;
      readonly name: string;
    }
  | { readonly type: "tool-call-delta"; readonly toolIndex: number; readonly argumentsDelta: string }
  | { readonly type: "usage"; readonly usage: CanonicalUsage }
  | { readonly type: "finish"; readonly finishReason: CanonicalFinishReason }
  /** An error event inside an HTTP-200 stream; `errorType` is in Anthropic's vocabulary. */
  | { readonly type: "error"; readonly errorType: string; readonly message: string }
  | { readonly type: "end" };

/** Reads one dialect's stream: feed each SSE event (name and data), get the parts it means. */
export interface StreamDecoder {
  decode(event: string | undefined, data: string): CanonicalStreamPart[];
}

/** Writes one dialect's stream: each part becomes zero or more SSE frames (complete `…\n\n` text). */
export interface StreamEncoder {
  encode(part: CanonicalStreamPart): string;
}
