import type { CanonicalChatRequest, CanonicalChatResult } from "./canonical-chat.js";
import type { StreamDecoder, StreamEncoder } from "./canonical-stream.js";
import type { ClientDialect, UpstreamDialect } from "./ports/provider-adapter.js";

/** An upstream or gateway error in neutral terms; `errorType` uses Anthropic's vocabulary (`rate_limit_error`, …). */
export interface CanonicalError {
  readonly status: number;
  readonly errorType: string;
  readonly message: string;
}

/**
 * The client side of a chat dialect: read what a client sent into the canonical model, write the answer back
 * in the client's terms. Readers and writers are pure. Anything that cannot be carried across is reported in
 * `warnings` (becoming `x-switchyard-warnings`); a request that cannot be honoured at all throws
 * GW_ERR_TRANSLATION_UNSUPPORTED.
 */
export interface ClientChatCodec {
  readonly dialect: ClientDialect;
  readRequest(body: Readonly<Record<string, unknown>>, warnings: string[]): CanonicalChatRequest;
  writeResult(result: CanonicalChatResult): Record<string, unknown>;
  createStreamEncoder(): StreamEncoder;
  writeError(error: CanonicalError): Record<string, unknown>;
}

/** The provider side of a chat dialect: write the canonical request upstream, read its answers back. */
export interface UpstreamChatCodec {
  readonly dialect: UpstreamDialect;
  writeRequest(request: CanonicalChatRequest, warnings: string[]): Record<string, unknown>;
  readResult(body: Readonly<Record<string, unknown>>): CanonicalChatResult;
  createStreamDecoder(): StreamDecoder;
  readError(status: number, body: unknown): CanonicalError;
}

/** A dialect spoken on both sides (OpenAI Chat, Anthropic Messages). */
export type ChatDialectCodec = ClientChatCodec & UpstreamChatCodec;
