import type { UpstreamChatCodec } from "../../core/dialect-codec.js";
import { writeGeminiRequest } from "./gemini-request.js";
import { readGeminiError, readGeminiResult } from "./gemini-response.js";
import { createGeminiStreamDecoder } from "./gemini-stream.js";

/** Canonical → Gemini `generateContent` and back; Gemini is an upstream only (no client speaks it to us). */
export const geminiCodec: UpstreamChatCodec = {
  dialect: "gemini",
  writeRequest: writeGeminiRequest,
  readResult: readGeminiResult,
  createStreamDecoder: createGeminiStreamDecoder,
  readError: readGeminiError,
};
