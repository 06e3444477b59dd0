import { GatewayError } from "../../core/gateway-error.js";
import { isRecord, numberOrNull, optionalNumber, optionalString } from "../../core/json-value.js";

/** An OpenAI `/v1/embeddings` request read for Titan: one InvokeModel body per input, in input order. */
export interface TitanEmbeddingPlan {
  readonly modelId: string;
  readonly bodies: readonly Record<string, unknown>[];
  readonly base64: boolean;
}

function invalid(message: string): GatewayError {
  return new GatewayError("GW_ERR_TRANSLATION_UNSUPPORTED", message);
}

/**
 * OpenAI embeddings request → Titan Text Embeddings V2 InvokeModel bodies
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html):
 * `{inputText, dimensions?, normalize: true}` per input, as Titan embeds one text per call. Token-id inputs
 * cannot be carried (Titan takes text only) and are refused.
 */
export function planTitanEmbeddings(body: Readonly<Record<string, unknown>>): TitanEmbeddingPlan {
  const modelId = optionalString(body.model);
  if (modelId === undefined || modelId === "") {
    throw new GatewayError("GW_ERR_REQUEST_INVALID_BODY", "model is required");
  }
  const input = body.input;
  const texts = typeof input === "string" ? [input] : Array.isArray(input) ? input : undefined;
  if (texts === undefined || texts.length === 0) {
    throw new GatewayError(
      "GW_ERR_REQUEST_INVALID_BODY",
      "input must be a string or a non-empty array of strings",
    );
  }
  if (!texts.every((text): text is string => typeof text === "string")) {
    throw invalid("token-id inputs: Bedrock Titan embeddings take text only");
  }
  const format = body.encoding_format;
  if (format !== undefined && format !== "float" && format !== "base64") {
    throw new GatewayError("GW_ERR_REQUEST_INVALID_BODY", "encoding_format must be float or base64");
  }
  const dimensions = optionalNumber(body.dimensions);
  return {
    modelId,
    bodies: texts.map((inputText) => ({
      inputText,
      ...(dimensions === undefined ? {} : { dimensions }),
      normalize: true,
    })),
    base64: format === "base64",
  };
}

/** One Titan answer `{embedding, inputTextTokenCount}`; a body without a numeric vector is refused. */
export interface TitanEmbedding {
  readonly embedding: readonly number[];
  readonly tokenCount: number | null;
}

export function readTitanEmbedding(body: unknown): TitanEmbedding {
  const embedding = isRecord(body) ? body.embedding : undefined;
  if (!Array.isArray(embedding) || !embedding.every((value) => typeof value === "number")) {
    throw new GatewayError(
      "GW_ERR_UPSTREAM_INVALID_RESPONSE",
      "Bedrock answered an embeddings call without an embedding vector.",
    );
  }
  return { embedding, tokenCount: isRecord(body) ? numberOrNull(body.inputTextTokenCount) : null };
}

/**
 * Titan answers, in input order → OpenAI's embeddings list. `base64` is OpenAI's encoding: the float32
 * little-endian bytes of the vector (what the official SDKs ask for by default and decode).
 */
export function writeOpenAiEmbeddings(
  plan: TitanEmbeddingPlan,
  results: readonly TitanEmbedding[],
): Record<string, unknown> {
  const tokens = results.reduce((sum, result) => sum + (result.tokenCount ?? 0), 0);
  return {
    object: "list",
    data: results.map((result, index) => ({
      object: "embedding",
      index,
      embedding: plan.base64 ? float32Base64(result.embedding) : result.embedding,
    })),
    model: plan.modelId,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

function float32Base64(vector: readonly number[]): string {
  const floats = Float32Array.from(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString("base64");
}
