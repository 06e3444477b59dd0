import { describe, expect, it } from "vitest";
import { countTextTokens } from "../../core/tokenizer.js";
import { base64ToFloat32, embedInput, float32ToBase64 } from "./embed-input.js";
import {
  buildEmbeddingList,
  parseEmbeddingsRequest,
  type SimulatorEmbeddingsRequest,
} from "./simulate-embeddings.js";

function norm(vector: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += (vector[i] ?? 0) ** 2;
  return Math.sqrt(sum);
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return dot / (norm(a) * norm(b));
}

function request(body: Record<string, unknown>): SimulatorEmbeddingsRequest {
  const parsed = parseEmbeddingsRequest({ model: "emb-1", ...body });
  if (!parsed.ok) throw new Error(parsed.issue.message);
  return parsed.value;
}

describe("embedInput", () => {
  it("is deterministic, unit length and of the requested size", () => {
    const a = embedInput("The cat sat on the mat", 256);
    expect(a).toHaveLength(256);
    expect(embedInput("The cat sat on the mat", 256)).toEqual(a);
    expect(norm(a)).toBeCloseTo(1, 5);
    expect(norm(embedInput([101, 2023, 102], 64))).toBeCloseTo(1, 5);
    expect(norm(embedInput("!!!", 64))).toBeCloseTo(1, 5);
  });

  it("places texts that share words closer than unrelated texts", () => {
    const cat = embedInput("the cat sat on the mat", 512);
    const similar = embedInput("a cat sat on a mat", 512);
    const unrelated = embedInput("quarterly revenue grew in europe", 512);
    expect(cosine(cat, similar)).toBeGreaterThan(0.5);
    expect(Math.abs(cosine(cat, unrelated))).toBeLessThan(0.3);
    expect(cosine(cat, embedInput("mat the on sat cat the", 512))).toBeLessThan(0.9999);
  });
});

describe("base64 embeddings", () => {
  it("round-trips little-endian float32", () => {
    const vector = embedInput("round trip", 32);
    const encoded = float32ToBase64(vector);
    expect(Buffer.from(encoded, "base64")).toHaveLength(32 * 4);
    expect(Buffer.from(encoded, "base64").readFloatLE(4)).toBe(vector[1]);
    expect(base64ToFloat32(encoded)).toEqual(vector);
  });
});

describe("buildEmbeddingList", () => {
  it("embeds each input with the default or requested dimensions and counts usage", () => {
    const list = buildEmbeddingList(request({ input: ["alpha beta", "gamma"] }), 48);
    expect(list.object).toBe("list");
    expect(list.model).toBe("emb-1");
    expect(list.data.map((item) => [item.object, item.index, (item.embedding as number[]).length])).toEqual([
      ["embedding", 0, 48],
      ["embedding", 1, 48],
    ]);
    expect(list.usage).toEqual({
      prompt_tokens: countTextTokens("alpha beta") + countTextTokens("gamma"),
      total_tokens: countTextTokens("alpha beta") + countTextTokens("gamma"),
    });
    const sized = buildEmbeddingList(request({ input: "alpha beta", dimensions: 8 }), 48);
    expect(sized.data[0]?.embedding).toHaveLength(8);
  });

  it("returns base64 when asked, holding the same float32 values", () => {
    const floats = buildEmbeddingList(request({ input: "same" }), 16).data[0]?.embedding;
    const encoded = buildEmbeddingList(request({ input: "same", encoding_format: "base64" }), 16).data[0]
      ?.embedding;
    expect(typeof encoded).toBe("string");
    expect(Array.from(base64ToFloat32(String(encoded)))).toEqual(floats);
  });

  it("accepts token arrays and counts their length", () => {
    expect(buildEmbeddingList(request({ input: [1, 2, 3] }), 8).usage.prompt_tokens).toBe(3);
    const many = buildEmbeddingList(request({ input: [[1, 2], [3]] }), 8);
    expect(many.data).toHaveLength(2);
    expect(many.usage.prompt_tokens).toBe(3);
  });
});

describe("parseEmbeddingsRequest", () => {
  it.each([
    [{ input: "x" }, "model"],
    [{ model: "m" }, "input"],
    [{ model: "m", input: "" }, "input"],
    [{ model: "m", input: [] }, "input"],
    [{ model: "m", input: ["ok", 3] }, "input"],
    [{ model: "m", input: "x", dimensions: 0 }, "dimensions"],
    [{ model: "m", input: "x", encoding_format: "binary" }, "encoding_format"],
  ])("rejects %j at %s", (body, param) => {
    const result = parseEmbeddingsRequest(body);
    expect(result.ok ? undefined : result.issue.param).toBe(param);
  });
});
