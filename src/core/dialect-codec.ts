import type { CanonicalChatRequest, CanonicalChatResult } from "./canonical-chat.js";
import type { StreamDecoder, StreamEncoder } from "./canonical-stream.js";
import type { Dialect } from "./ports/provider-adapter.js";

/** An upstream or gateway error in neutral terms; `errorType` uses Anthropic's vocabulary (`rate_limit_error`, …). */
export interface CanonicalError {
  readonly status: number;
  readonly errorType: string;
  readonly message: string;
}

/**
 * Everything needed to translate one chat dialect to and from the canonical model. Readers and writers are
 * pure. Anything that cannot be carried across is reported in `warnings` (becoming `x-switchyard-warnings`);
 * a request that cannot be honoured at all throws GW_ERR_TRANSLATION_UNSUPPORTED.
 */
export interface ChatDialectCodec {
  readonly dialect: Dialect;
  readRequest(body: Readonly<Record<string, unknown>>, warnings: string[]): CanonicalChatRequest;
  writeRequest(request: CanonicalChatRequest, warnings: string[]): Record<string, unknown>;
  readResult(body: Readonly<Record<string, unknown>>): CanonicalChatResult;
  writeResult(result: CanonicalChatResult): Record<string, unknown>;
  createStreamDecoder(): StreamDecoder;
  createStreamEncoder(): StreamEncoder;
  readError(status: number, body: unknown): CanonicalError;
  writeError(error: CanonicalError): Record<string, unknown>;
}
