import type { UpstreamChatCodec } from "../../core/dialect-codec.js";
import { writeBedrockRequest } from "./bedrock-request.js";
import { readBedrockError, readBedrockResult } from "./bedrock-response.js";
import { createBedrockStreamDecoder } from "./bedrock-stream.js";

/**
 * Canonical → Bedrock Converse and back (upstream side only: no client speaks Converse to us). `writeRequest`
 * also writes `modelId` and `stream`, which the adapter moves out of the body (see `splitBedrockEnvelope`).
 */
export const bedrockCodec: UpstreamChatCodec = {
  dialect: "bedrock",
  writeRequest: writeBedrockRequest,
  readResult: readBedrockResult,
  createStreamDecoder: createBedrockStreamDecoder,
  readError: readBedrockError,
};
