import { describe, expect, it } from "vitest";
import { readGeminiEmbeddingsResponse, writeGeminiEmbeddingsRequest } from "./gemini-embeddings.js";
import { geminiJsonFixture } from "./test-fixtures.js";

describe("Gemini embeddings translation", () => {
  it("writes batchEmbedContents with one request per input and dimensions as outputDimensionality", () => {
    const warnings: string[] = [];
    const call = writeGeminiEmbeddingsRequest(
      { model: "gemini-embedding-001", input: ["first", "second"], dimensions: 4, user: "u-1" },
      warnings,
    );
    expect(call.model).toBe("gemini-embedding-001");
    expect(call.body).toEqual({
      requests: [
        {
          model: "models/gemini-embedding-001",
          content: { parts: [{ text: "first" }] },
          outputDimensionality: 4,
        },
        {
          model: "models/gemini-embedding-001",
          content: { parts: [{ text: "second" }] },
          outputDimensionality: 4,
        },
      ],
    });
    expect(warnings).toEqual(["user has no Gemini equivalent; dropped"]);
  });

  it("rejects token-array inputs with a translation error", () => {
    expect(() => writeGeminiEmbeddingsRequest({ model: "m", input: [[1, 2, 3]] }, [])).toThrow(
      expect.objectContaining({ code: "GW_ERR_TRANSLATION_UNSUPPORTED" }),
    );
    expect(() => writeGeminiEmbeddingsRequest({ model: "m", input: [] }, [])).toThrow(
      expect.objectContaining({ code: "GW_ERR_TRANSLATION_UNSUPPORTED" }),
    );
  });

  it("reads the vectors into OpenAI's list with estimated usage, flagged", () => {
    const warnings: string[] = [];
    const call = writeGeminiEmbeddingsRequest(
      { model: "gemini-embedding-001", input: ["first", "second"] },
      warnings,
    );
    const response = readGeminiEmbeddingsResponse(
      call,
      geminiJsonFixture("embeddings-response.json"),
      warnings,
    );
    expect(response).toEqual({
      object: "list",
      data: [
        { object: "embedding", index: 0, embedding: [0.0123291, -0.0210571, 0.0452881, 0.0034637] },
        { object: "embedding", index: 1, embedding: [-0.0061951, 0.0382385, -0.0147705, 0.0256958] },
      ],
      model: "gemini-embedding-001",
      usage: { prompt_tokens: 2, total_tokens: 2 },
    });
    expect(warnings).toEqual(["usage estimated locally: Gemini reports no embedding token counts"]);
  });

  it("encodes vectors as base64 float32 when the caller asks (the openai SDK's default)", () => {
    const call = writeGeminiEmbeddingsRequest({ model: "m", input: "one", encoding_format: "base64" }, []);
    const response = readGeminiEmbeddingsResponse(call, { embeddings: [{ values: [0.5, -1.25] }] }, []);
    const encoded = (response.data as { embedding: string }[])[0]?.embedding ?? "";
    const bytes = Buffer.from(encoded, "base64");
    expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4))).toEqual([
      0.5, -1.25,
    ]);
  });

  it("fails when Gemini returns a different number of vectors than inputs", () => {
    const call = writeGeminiEmbeddingsRequest({ model: "m", input: ["a", "b"] }, []);
    expect(() => readGeminiEmbeddingsResponse(call, { embeddings: [{ values: [1] }] }, [])).toThrow(
      expect.objectContaining({ code: "GW_ERR_UPSTREAM_INVALID_RESPONSE" }),
    );
  });
});
