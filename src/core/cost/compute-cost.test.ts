import { describe, expect, it } from "vitest";
import { computeCost, worstCaseCost } from "./compute-cost.js";
import { PriceBook } from "./price-book.js";
import { shippedPriceCatalog } from "./price-catalog-data.js";
import { readAnthropicUsage, readBedrockUsage, readGeminiUsage, readOpenAiUsage } from "./token-usage.js";

const book = new PriceBook(shippedPriceCatalog);
const now = Date.parse("2026-11-01T00:00:00Z");

function priceOf(provider: string, model: string) {
  const priced = book.priceFor(provider, model, now);
  if (priced === undefined) throw new Error(`no price for ${model}`);
  return priced.price;
}

// Every expected figure below is worked out by hand from the list prices in USD per million tokens.
describe("computeCost per provider usage shape", () => {
  it("OpenAI chat with cached prompt tokens (gpt-4o: 2.50 in, 1.25 cached, 10 out)", () => {
    const usage = readOpenAiUsage({
      prompt_tokens: 1117,
      completion_tokens: 300,
      total_tokens: 1417,
      prompt_tokens_details: { cached_tokens: 1024 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    expect(usage).toMatchObject({
      inputTokens: 1117,
      outputTokens: 300,
      cachedTokens: 1024,
      reasoningTokens: 0,
    });
    // (1117 − 1024)·2.50 + 1024·1.25 + 300·10 = 232.5 + 1280 + 3000 = 4512.5 per million
    const cost = computeCost(usage, priceOf("openai", "gpt-4o-2024-08-06"));
    expect(cost.costUsd).toBeCloseTo(0.0045125, 12);
    // 1024·(2.50 − 1.25) = 1280 per million
    expect(cost.cacheSavingsUsd).toBeCloseTo(0.00128, 12);
  });

  it("OpenAI reasoning tokens are output tokens (o3: 2 in, 8 out)", () => {
    const usage = readOpenAiUsage({
      prompt_tokens: 500,
      completion_tokens: 2000,
      completion_tokens_details: { reasoning_tokens: 1500 },
    });
    expect(usage.reasoningTokens).toBe(1500);
    // 500·2 + 2000·8 = 17000 per million
    expect(computeCost(usage, priceOf("openai", "o3")).costUsd).toBeCloseTo(0.017, 12);
  });

  it("Anthropic cache reads and writes (claude-sonnet-4: 3 in, 0.30 read, 3.75 write, 15 out)", () => {
    const usage = readAnthropicUsage({
      input_tokens: 200,
      cache_read_input_tokens: 10_000,
      cache_creation_input_tokens: 2000,
      output_tokens: 500,
    });
    expect(usage).toMatchObject({ inputTokens: 12_200, cachedTokens: 10_000, cacheWriteTokens: 2000 });
    // 200·3 + 10000·0.30 + 2000·3.75 + 500·15 = 600 + 3000 + 7500 + 7500 = 18600 per million
    const cost = computeCost(usage, priceOf("anthropic", "claude-sonnet-4-20250514"));
    expect(cost.costUsd).toBeCloseTo(0.0186, 12);
    // 10000·(3 − 0.30) = 27000 per million
    expect(cost.cacheSavingsUsd).toBeCloseTo(0.027, 12);
  });

  it("Gemini cached content and thinking tokens (gemini-2.5-flash: 0.30 in, 0.03 cached, 2.50 out)", () => {
    const usage = readGeminiUsage({
      promptTokenCount: 5000,
      cachedContentTokenCount: 4000,
      candidatesTokenCount: 100,
      thoughtsTokenCount: 400,
      totalTokenCount: 5500,
    });
    expect(usage).toMatchObject({
      inputTokens: 5000,
      outputTokens: 500,
      cachedTokens: 4000,
      reasoningTokens: 400,
    });
    // 1000·0.30 + 4000·0.03 + 500·2.50 = 300 + 120 + 1250 = 1670 per million
    expect(computeCost(usage, priceOf("google", "gemini-2.5-flash")).costUsd).toBeCloseTo(0.00167, 12);
  });

  it("Bedrock Converse cache reads and writes, regional model id", () => {
    const usage = readBedrockUsage({
      inputTokens: 100,
      outputTokens: 50,
      cacheReadInputTokens: 1000,
      cacheWriteInputTokens: 500,
      totalTokens: 1650,
    });
    expect(usage.inputTokens).toBe(1600);
    // 100·3 + 1000·0.30 + 500·3.75 + 50·15 = 300 + 300 + 1875 + 750 = 3225 per million
    const price = priceOf("bedrock", "us.anthropic.claude-sonnet-4-20250514-v1:0");
    expect(computeCost(usage, price).costUsd).toBeCloseTo(0.003225, 12);
  });

  it("prices reasoning apart when the price says so, and adds per-request and per-image charges", () => {
    const usage = readOpenAiUsage({
      prompt_tokens: 0,
      completion_tokens: 100,
      completion_tokens_details: { reasoning_tokens: 60 },
    });
    // 40·10 + 60·20 = 1600 per million, plus 0.01 per request
    const cost = computeCost(usage, { input: 1, output: 10, reasoning: 20, perRequest: 0.01 });
    expect(cost.costUsd).toBeCloseTo(0.0116, 12);
    expect(computeCost(usage, priceOf("openai", "dall-e-3"), 2).costUsd).toBeCloseTo(0.08, 12);
  });

  it("worst case: every input token at the dearer of input and cache-write, all output generated", () => {
    // 1000·3.75 + 4096·15 = 3750 + 61440 = 65190 per million
    expect(worstCaseCost(priceOf("anthropic", "claude-sonnet-4"), 1000, 4096)).toBeCloseTo(0.06519, 12);
  });
});

describe("PriceBook", () => {
  it("applies the dated entry in force at the request's time", () => {
    const before = book.priceFor("openai", "gpt-4o", Date.parse("2024-06-01T00:00:00Z"));
    const after = book.priceFor("openai", "gpt-4o", Date.parse("2024-10-01T00:00:00Z"));
    expect(before?.price.input).toBe(5);
    expect(after?.price.input).toBe(2.5);
    expect(after?.source).toBe(shippedPriceCatalog.version);
    expect(book.priceFor("openai", "gpt-4o", Date.parse("2024-01-01T00:00:00Z"))).toBeUndefined();
  });

  it("lets config override by provider/model and by model, and leaves unknown models unpriced", () => {
    const custom = new PriceBook(shippedPriceCatalog, {
      "gpt-4o": { input: 1, output: 2 },
      "azure/gpt-4o": { input: 3, output: 4 },
    });
    expect(custom.priceFor("openai", "gpt-4o", now)).toEqual({
      price: { input: 1, output: 2 },
      source: "config",
    });
    expect(custom.priceFor("azure", "gpt-4o", now)?.price.input).toBe(3);
    expect(custom.priceFor("openai", "my-finetune", now)).toBeUndefined();
  });
});
