import type { ClientChatCodec } from "../../core/dialect-codec.js";
import { writeOpenAiError } from "../openai/openai-chat-response.js";
import { readResponsesRequest } from "./responses-request.js";
import { writeResponsesResult } from "./responses-result.js";
import { createResponsesStreamEncoder } from "./responses-stream.js";

/**
 * OpenAI Responses, client side only: upstreams that serve Responses natively get the request passed through,
 * so Switchyard never needs to write a Responses request or read a Responses answer. Its error object is
 * OpenAI's (`{"error":{message,type,param,code}}`).
 */
export const openAiResponsesCodec: ClientChatCodec = {
  dialect: "openai-responses",
  readRequest: readResponsesRequest,
  writeResult: writeResponsesResult,
  createStreamEncoder: createResponsesStreamEncoder,
  writeError: writeOpenAiError,
};
