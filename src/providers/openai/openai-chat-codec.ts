import type { ChatDialectCodec } from "../../core/dialect-codec.js";
import { readOpenAiChatRequest, writeOpenAiChatRequest } from "./openai-chat-request.js";
import {
  readOpenAiChatResult,
  readOpenAiError,
  writeOpenAiChatResult,
  writeOpenAiError,
} from "./openai-chat-response.js";
import { createOpenAiChatStreamDecoder, createOpenAiChatStreamEncoder } from "./openai-chat-stream.js";

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** OpenAI Chat Completions ↔ canonical. */
export const openAiChatCodec: ChatDialectCodec = {
  dialect: "openai",
  readRequest: readOpenAiChatRequest,
  writeRequest: writeOpenAiChatRequest,
  readResult: readOpenAiChatResult,
  writeResult: (result) => writeOpenAiChatResult(result, nowSeconds()),
  createStreamDecoder: createOpenAiChatStreamDecoder,
  createStreamEncoder: () => createOpenAiChatStreamEncoder(nowSeconds()),
  readError: readOpenAiError,
  writeError: writeOpenAiError,
};
