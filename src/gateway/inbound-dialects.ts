import { readOpenAiUsage, readResponsesUsage } from "../core/cost/token-usage.js";
import type { ClientDialect } from "../core/ports/provider-adapter.js";
import { relayAnthropicStream } from "./anthropic-stream-relay.js";
import { readAnthropicUsage } from "./anthropic-usage.js";
import type { TokenUsage } from "./gateway-context.js";
import { relayOpenAiStream, type StreamRelayOptions } from "./openai-stream-relay.js";
import { relayResponsesStream } from "./responses-stream-relay.js";

/** What the pipeline needs to know about the caller's dialect to record a response and relay a stream. */
export interface InboundDialect {
  /** Token counts from a complete (non-streamed) response body. */
  readUsage(body: Record<string, unknown>): TokenUsage;
  relayStream(options: StreamRelayOptions): AsyncGenerator<string>;
}

export const inboundDialects: Readonly<Record<ClientDialect, InboundDialect>> = {
  openai: { readUsage: (body) => readOpenAiUsage(body.usage), relayStream: relayOpenAiStream },
  anthropic: { readUsage: (body) => readAnthropicUsage(body.usage), relayStream: relayAnthropicStream },
  "openai-responses": {
    readUsage: (body) => readResponsesUsage(body.usage),
    relayStream: relayResponsesStream,
  },
};
