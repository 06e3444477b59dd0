import type { ChatDialectCodec } from "../../core/dialect-codec.js";
import { readAnthropicRequest, writeAnthropicRequest } from "./anthropic-request.js";
import {
  readAnthropicError,
  readAnthropicResult,
  writeAnthropicError,
  writeAnthropicResult,
} from "./anthropic-response.js";
import { createAnthropicStreamDecoder, createAnthropicStreamEncoder } from "./anthropic-stream.js";

/** Anthropic Messages ↔ canonical. */
export const anthropicCodec: ChatDialectCodec = {
  dialect: "anthropic",
  readRequest: readAnthropicRequest,
  writeRequest: writeAnthropicRequest,
  readResult: readAnthropicResult,
  writeResult: writeAnthropicResult,
  createStreamDecoder: createAnthropicStreamDecoder,
  createStreamEncoder: createAnthropicStreamEncoder,
  readError: readAnthropicError,
  writeError: writeAnthropicError,
};
