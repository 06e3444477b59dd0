import { describe, expect, it } from "vitest";
import type { UpstreamOperation } from "../../core/ports/provider-adapter.js";
import { estimateRequestTokens as estimateWith } from "./estimate-request-tokens.js";
import { loadTokenCounter } from "./load-token-counter.js";

const countText = await loadTokenCounter();
const estimateRequestTokens = (
  operation: UpstreamOperation,
  body: Record<string, unknown>,
  maxOutput: number,
) => estimateWith(operation, body, maxOutput, countText);

describe("estimateRequestTokens", () => {
  it("counts chat input with OpenAI's framing and reserves max_completion_tokens over max_tokens", () => {
    const body = {
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "Say hello", name: "ann" },
      ],
      max_tokens: 50,
      max_completion_tokens: 70,
    };
    // 3 priming + (3 + 4) + (3 + 2 + "ann" 1 + 1 name) = 17
    expect(estimateRequestTokens("chat.completions", body, 4096)).toEqual({
      inputTokens: 17,
      outputTokens: 70,
    });
  });

  it("falls back to max_tokens, then the default, and multiplies the output by n", () => {
    const messages = [{ role: "user", content: "hello" }];
    expect(estimateRequestTokens("chat.completions", { messages, max_tokens: 9 }, 100).outputTokens).toBe(9);
    expect(estimateRequestTokens("chat.completions", { messages }, 100).outputTokens).toBe(100);
    expect(estimateRequestTokens("chat.completions", { messages, n: 3 }, 100).outputTokens).toBe(300);
  });

  it("counts text parts and a fixed cost per image", () => {
    const body = {
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "a cat on a mat" },
            { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
          ],
        },
      ],
    };
    expect(estimateRequestTokens("chat.completions", body, 1).inputTokens).toBe(3 + 3 + 5 + 85);
  });

  it("counts embeddings input as strings or token arrays, with no output", () => {
    expect(estimateRequestTokens("embeddings", { input: "a cat on a mat" }, 100)).toEqual({
      inputTokens: 5,
      outputTokens: 0,
    });
    expect(estimateRequestTokens("embeddings", { input: ["hello", "Say hello"] }, 100).inputTokens).toBe(3);
    expect(estimateRequestTokens("embeddings", { input: [[1, 2, 3], [4]] }, 100).inputTokens).toBe(4);
    expect(estimateRequestTokens("embeddings", { input: [1, 2, 3] }, 100).inputTokens).toBe(3);
  });

  it("treats special-token text as plain text instead of throwing", () => {
    const body = { messages: [{ role: "user", content: "<|endoftext|>" }] };
    expect(estimateRequestTokens("chat.completions", body, 1).inputTokens).toBeGreaterThan(6);
  });
});
