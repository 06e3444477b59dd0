import { GatewayError } from "../../core/gateway-error.js";
import { isRecord, optionalNumber, optionalString, records } from "../../core/json-value.js";
import { estimateOutputTokens } from "../estimate-input-tokens.js";

/** What an OpenAI `/v1/embeddings` request asks of Gemini `batchEmbedContents`. */
export interface GeminiEmbeddingsCall {
  readonly model: string;
  readonly inputs: readonly string[];
  readonly encodingFormat: "float" | "base64";
  /** The `batchEmbedContents` body (https://ai.google.dev/api/embeddings#method:-models.batchembedcontents). */
  readonly body: Record<string, unknown>;
}

/**
 * OpenAI embeddings request → Gemini `batchEmbedContents`. Token-array inputs cannot be translated (Gemini takes
 * text only) and get a 400; `dimensions` becomes `outputDimensionality`; `user` has no equivalent (a warning).
 */
export function writeGeminiEmbeddingsRequest(
  request: Readonly<Record<string, unknown>>,
  warnings: string[],
): GeminiEmbeddingsCall {
  const model = (optionalString(request.model) ?? "").replace(/^models\//, "");
  const input = request.input;
  const inputs = typeof input === "string" ? [input] : Array.isArray(input) ? input : [];
  if (inputs.length === 0 || !inputs.every((item): item is string => typeof item === "string")) {
    throw new GatewayError(
      "GW_ERR_TRANSLATION_UNSUPPORTED",
      "input: Gemini embeds text only; send a string or an array of strings (token arrays cannot be translated)",
    );
  }
  const dimensions = optionalNumber(request.dimensions);
  if (request.user !== undefined) warnings.push("user has no Gemini equivalent; dropped");
  return {
    model,
    inputs,
    encodingFormat: request.encoding_format === "base64" ? "base64" : "float",
    body: {
      requests: inputs.map((text) => ({
        model: `models/${model}`,
        content: { parts: [{ text }] },
        ...(dimensions === undefined ? {} : { outputDimensionality: dimensions }),
      })),
    },
  };
}

/**
 * Gemini `{embeddings: [{values}]}` → OpenAI's embeddings list. Gemini reports no token counts, so usage is
 * estimated from the inputs with the o200k tokenizer and a warning says so.
 */
export function readGeminiEmbeddingsResponse(
  call: GeminiEmbeddingsCall,
  response: Readonly<Record<string, unknown>>,
  warnings: string[],
): Record<string, unknown> {
  const data = records(response.embeddings).map((embedding, index) => {
    const values = Array.isArray(embedding.values)
      ? embedding.values.filter((value): value is number => typeof value === "number")
      : [];
    return {
      object: "embedding",
      index,
      embedding: call.encodingFormat === "base64" ? toBase64Floats(values) : values,
    };
  });
  if (data.length !== call.inputs.length) {
    throw new GatewayError(
      "GW_ERR_UPSTREAM_INVALID_RESPONSE",
      `Gemini returned ${data.length} embeddings for ${call.inputs.length} inputs.`,
    );
  }
  const usage = isRecord(response.usageMetadata)
    ? optionalNumber(response.usageMetadata.promptTokenCount)
    : undefined;
  const promptTokens = usage ?? call.inputs.reduce((total, text) => total + estimateOutputTokens(text), 0);
  if (usage === undefined) warnings.push("usage estimated locally: Gemini reports no embedding token counts");
  return {
    object: "list",
    data,
    model: call.model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}

/** OpenAI's `encoding_format: base64`: the vector as little-endian float32 bytes, base64-encoded. */
function toBase64Floats(values: readonly number[]): string {
  const floats = new Float32Array(values);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString("base64");
}
