import { describe, expect, it } from "vitest";
import { countTextTokens } from "../../core/tokenizer.js";
import { InputSize } from "./input-size.js";
import { loadTokenCounter } from "./load-token-counter.js";

const samples = [
  "Plain English prose about switchyards and rolling stock.",
  "Ünïcödé, 漢字とかな, emoji 🚂🚃🚃 and code: const x = a?.b ?? 0;",
  "<|endoftext|> is counted as text, not as a special token",
  "a".repeat(5000),
];

describe("InputSize", () => {
  it("bounds the real token count from above without a tokenizer", () => {
    for (const sample of samples) {
      const size = new InputSize({ messages: [{ role: "user", content: sample }] });
      expect(size.upperBound).toBeGreaterThanOrEqual(countTextTokens(sample));
    }
  });

  it("reads text parts, names, tool calls, tool definitions and images; counts max output", () => {
    const size = new InputSize({
      max_tokens: 300,
      tools: [{ type: "function", function: { name: "lookup" } }],
      messages: [
        { role: "system", content: "sys" },
        {
          role: "user",
          name: "ann",
          content: [
            { type: "text", text: "look" },
            { type: "image_url", image_url: {} },
          ],
        },
        { role: "assistant", tool_calls: [{ id: "1", function: { name: "lookup", arguments: "{}" } }] },
      ],
    });
    expect(size.outputTokens).toBe(300);
    // 3 messages × 3 + 3 priming + 765 for the image, plus at least the bytes of the texts.
    expect(size.upperBound).toBeGreaterThan(777 + "sysannlook".length);
    expect(new InputSize({ max_completion_tokens: 9, max_tokens: 300 }).outputTokens).toBe(9);
  });

  it("counts embedding inputs: strings as text, token arrays one per id", () => {
    expect(new InputSize({ input: [[1, 2, 3], [4]] }).upperBound).toBe(4);
    expect(new InputSize({ input: "abc" }).upperBound).toBe(3);
  });

  it("answers the exact count with the tokenizer when the bound is above the limit, false beyond it", async () => {
    const count = await loadTokenCounter();
    const body = { messages: [{ role: "user", content: "hello world ".repeat(100) }] };
    const size = new InputSize(body);
    const exact = size.tokensWithin(500, count);
    expect(size.upperBound).toBeGreaterThan(500);
    expect(exact).toBeGreaterThan(100);
    expect(exact).toBeLessThanOrEqual(500);
    expect(size.tokensWithin(50, count)).toBe(false);
    // Without a tokenizer only the bound is known: conservatively "does not fit".
    expect(size.tokensWithin(500, undefined)).toBe(false);
  });
});
