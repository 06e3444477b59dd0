import { countTextTokens } from "../../core/tokenizer.js";
import { type EmbeddingInput, embedInput, float32ToBase64 } from "./embed-input.js";
import { isJsonRecord, type ParseResult, type WireEmbeddingList } from "./simulator-wire.js";

export interface SimulatorEmbeddingsRequest {
  readonly model: string;
  readonly inputs: readonly EmbeddingInput[];
  /** Absent means the simulator's configured default. */
  readonly dimensions: number | undefined;
  readonly encodingFormat: "float" | "base64";
}

const MAX_INPUTS = 2048;
const MAX_DIMENSIONS = 8192;

function invalid(message: string, param: string | null, code: string | null = null) {
  return { ok: false as const, issue: { message, param, code } };
}

function isTokenArray(value: unknown): value is number[] {
  return (
    Array.isArray(value) &&
    value.every((token) => typeof token === "number" && Number.isInteger(token) && token >= 0)
  );
}

function parseInputs(input: unknown): ParseResult<readonly EmbeddingInput[]> {
  if (input === undefined)
    return invalid("Missing required parameter: 'input'.", "input", "missing_required_parameter");
  if (typeof input !== "string" && !Array.isArray(input)) {
    return invalid("Invalid type for 'input': expected a string or an array.", "input", "invalid_type");
  }
  const items: readonly unknown[] = typeof input === "string" || isTokenArray(input) ? [input] : input;
  if (items.length === 0 || items.length > MAX_INPUTS) {
    return invalid(`'$.input' is invalid: expected between 1 and ${MAX_INPUTS} inputs.`, "input");
  }
  const inputs: EmbeddingInput[] = [];
  for (const item of items) {
    if ((typeof item === "string" || isTokenArray(item)) && item.length > 0) inputs.push(item);
    else
      return invalid(
        "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
        "input",
      );
  }
  return { ok: true, value: inputs };
}

export function parseEmbeddingsRequest(body: unknown): ParseResult<SimulatorEmbeddingsRequest> {
  if (!isJsonRecord(body))
    return invalid("Invalid type for 'body': expected an object.", null, "invalid_type");
  if (body.model === undefined)
    return invalid("Missing required parameter: 'model'.", "model", "missing_required_parameter");
  if (typeof body.model !== "string")
    return invalid("Invalid type for 'model': expected a string.", "model", "invalid_type");
  const inputs = parseInputs(body.input);
  if (!inputs.ok) return inputs;
  const dimensions = body.dimensions ?? undefined;
  if (
    dimensions !== undefined &&
    (typeof dimensions !== "number" ||
      !Number.isInteger(dimensions) ||
      dimensions < 1 ||
      dimensions > MAX_DIMENSIONS)
  ) {
    return invalid(
      `Invalid 'dimensions': expected an integer between 1 and ${MAX_DIMENSIONS}.`,
      "dimensions",
      "invalid_value",
    );
  }
  const format = body.encoding_format ?? "float";
  if (format !== "float" && format !== "base64") {
    return invalid(
      `Invalid value: '${String(format)}'. Supported values are: 'float' and 'base64'.`,
      "encoding_format",
      "invalid_value",
    );
  }
  return { ok: true, value: { model: body.model, inputs: inputs.value, dimensions, encodingFormat: format } };
}

/** The `/v1/embeddings` response: one deterministic unit vector per input, usage counted with the tokenizer. */
export function buildEmbeddingList(
  request: SimulatorEmbeddingsRequest,
  defaultDimensions: number,
): WireEmbeddingList {
  const dimensions = request.dimensions ?? defaultDimensions;
  let promptTokens = 0;
  const data = request.inputs.map((input, index) => {
    promptTokens += typeof input === "string" ? countTextTokens(input) : input.length;
    const vector = embedInput(input, dimensions);
    const embedding = request.encodingFormat === "base64" ? float32ToBase64(vector) : Array.from(vector);
    return { object: "embedding" as const, index, embedding };
  });
  return {
    object: "list",
    data,
    model: request.model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}
