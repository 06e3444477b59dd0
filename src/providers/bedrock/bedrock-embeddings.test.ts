import { describe, expect, it } from "vitest";
import { GatewayError } from "../../core/gateway-error.js";
import { planTitanEmbeddings, readTitanEmbedding, writeOpenAiEmbeddings } from "./bedrock-embeddings.js";
import { bedrockJson } from "./test-fixtures.js";

const modelId = "amazon.titan-embed-text-v2:0";

describe("OpenAI embeddings ↔ Titan Text Embeddings V2", () => {
  it("plans one InvokeModel body per input, in order, with dimensions and normalize", () => {
    const plan = planTitanEmbeddings({
      model: modelId,
      input: ["first text", "second text"],
      dimensions: 256,
    });
    expect(plan).toEqual({
      modelId,
      bodies: [
        { inputText: "first text", dimensions: 256, normalize: true },
        { inputText: "second text", dimensions: 256, normalize: true },
      ],
      base64: false,
    });
    expect(planTitanEmbeddings({ model: modelId, input: "one", encoding_format: "base64" })).toEqual({
      modelId,
      bodies: [{ inputText: "one", normalize: true }],
      base64: true,
    });
  });

  it("refuses token-id inputs, empty input and unknown encodings with clear errors", () => {
    expect(() => planTitanEmbeddings({ model: modelId, input: [[1, 2, 3]] })).toThrow(
      /token-id inputs: Bedrock Titan embeddings take text only/,
    );
    expect(() => planTitanEmbeddings({ model: modelId, input: [] })).toThrow(GatewayError);
    expect(() => planTitanEmbeddings({ model: modelId, input: "x", encoding_format: "int8" })).toThrow(
      /encoding_format must be float or base64/,
    );
  });

  it("writes OpenAI's list with per-input vectors and summed token counts", () => {
    const titan = readTitanEmbedding(bedrockJson("titan-embedding.json"));
    expect(titan.embedding).toHaveLength(256);
    expect(titan.tokenCount).toBe(5);
    const plan = planTitanEmbeddings({ model: modelId, input: ["a", "b"] });
    const second = { embedding: [0.5, -0.25], tokenCount: 2 };
    expect(writeOpenAiEmbeddings(plan, [titan, second])).toEqual({
      object: "list",
      data: [
        { object: "embedding", index: 0, embedding: titan.embedding },
        { object: "embedding", index: 1, embedding: [0.5, -0.25] },
      ],
      model: modelId,
      usage: { prompt_tokens: 7, total_tokens: 7 },
    });
  });

  it("encodes base64 as little-endian float32 bytes, as OpenAI does", () => {
    const plan = planTitanEmbeddings({ model: modelId, input: "a", encoding_format: "base64" });
    const written = writeOpenAiEmbeddings(plan, [{ embedding: [0.5, -0.25, 1], tokenCount: 1 }]);
    const [entry] = written.data as { embedding: string }[];
    const bytes = Buffer.from(entry?.embedding ?? "", "base64");
    expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4))).toEqual([
      0.5, -0.25, 1,
    ]);
  });

  it("refuses an answer without a numeric vector", () => {
    expect(() => readTitanEmbedding({ message: "nope" })).toThrow(/without an embedding vector/);
  });
});
