import { describe, expect, it } from "vitest";
import { readResponsesUsage, unknownUsage } from "./token-usage.js";

describe("readResponsesUsage", () => {
  it("reads a Response's usage: cached tokens inside input, reasoning tokens inside output", () => {
    expect(
      readResponsesUsage({
        input_tokens: 1812,
        input_tokens_details: { cached_tokens: 1536 },
        output_tokens: 215,
        output_tokens_details: { reasoning_tokens: 192 },
        total_tokens: 2027,
      }),
    ).toEqual({
      inputTokens: 1812,
      outputTokens: 215,
      cachedTokens: 1536,
      cacheWriteTokens: null,
      reasoningTokens: 192,
      estimated: false,
    });
  });

  it("keeps counts the provider left out as null, never zero", () => {
    expect(readResponsesUsage({ input_tokens: 5 })).toEqual({ ...unknownUsage, inputTokens: 5 });
    expect(readResponsesUsage(null)).toBe(unknownUsage);
  });
});
