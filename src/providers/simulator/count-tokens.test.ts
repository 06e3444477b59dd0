import { describe, expect, it } from "vitest";
import { countTextTokens, tokenizer } from "../../core/tokenizer.js";
import { countPromptTokens, tokenizeText } from "./count-tokens.js";

describe("countTextTokens", () => {
  it("counts o200k tokens", () => {
    expect(countTextTokens("hello world")).toBe(2);
    expect(countTextTokens("")).toBe(0);
  });

  it("treats special-token text as plain text instead of throwing", () => {
    expect(countTextTokens("a <|endoftext|> b")).toBeGreaterThan(3);
  });
});

describe("tokenizeText", () => {
  it("splits ASCII text into one piece per token", () => {
    const tokenized = tokenizeText("The quick brown fox jumps.");
    expect(tokenized.pieces).toEqual(["The", " quick", " brown", " fox", " jumps", "."]);
    expect(tokenized.tokenCount).toBe(6);
  });

  it("keeps multi-byte characters whole across token boundaries", () => {
    const text = "日本語 🎉🎉 𝕳𝖊𝖑𝖑𝖔 é";
    const tokenized = tokenizeText(text);
    expect(tokenized.pieces.join("")).toBe(text);
    expect(tokenized.pieces.every((piece) => piece.length > 0 && !piece.includes("\uFFFD"))).toBe(true);
    expect(tokenized.tokenCount).toBe(tokenizer().encode(text).length);
    expect(tokenized.pieces.length).toBeLessThan(tokenized.tokenCount);
  });
});

describe("countPromptTokens", () => {
  it("adds OpenAI's per-message framing to the text tokens", () => {
    // 3 (reply priming) + 3 (message) + "user" (1) + "hello" (1)
    expect(countPromptTokens([{ role: "user", content: "hello" }])).toBe(8);
    // a second message adds its framing, its role and its text; a name adds one more
    expect(
      countPromptTokens([
        { role: "system", content: "Be brief." },
        { role: "user", name: "ann", content: "hello" },
      ]),
    ).toBe(8 + 3 + 1 + countTextTokens("Be brief.") + countTextTokens("ann") + 1);
  });

  it("counts content parts, images, tool calls and tool definitions", () => {
    const base = countPromptTokens([{ role: "user", content: "look" }]);
    const withImage = countPromptTokens([
      {
        role: "user",
        content: [
          { type: "text", text: "look" },
          { type: "image_url", image_url: { url: "x" } },
        ],
      },
    ]);
    expect(withImage).toBe(base + 85);
    const toolCall = countPromptTokens([
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: '{"a":1}' } }],
      },
    ]);
    expect(toolCall).toBeGreaterThan(countPromptTokens([{ role: "assistant", content: null }]));
    const tools = [{ name: "get_weather", parameters: { type: "object" } }];
    expect(countPromptTokens([{ role: "user", content: "look" }], tools)).toBeGreaterThan(base + 5);
  });
});
