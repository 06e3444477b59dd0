import { describe, expect, it } from "vitest";
import { countTextTokens } from "../../core/tokenizer.js";
import { generateChatText } from "./generate-chat-text.js";
import { createSeededRandom, hashToSeed } from "./seeded-random.js";

const randomFor = (key: string) => createSeededRandom(hashToSeed(key));

describe("generateChatText", () => {
  it("is a function of its random source", () => {
    const a = generateChatText(randomFor("one"));
    expect(generateChatText(randomFor("one"))).toEqual(a);
    expect(generateChatText(randomFor("two")).text).not.toBe(a.text);
  });

  it("writes whole sentences of a modest default length", () => {
    for (const key of ["a", "b", "c", "d", "e", "f"]) {
      const text = generateChatText(randomFor(key));
      expect(text.finishReason).toBe("stop");
      expect(text.text).toMatch(/^[A-Z][a-z ,]+\.( [A-Z][a-z ,]+\.)*$/);
      expect(text.tokenCount).toBeGreaterThanOrEqual(20);
      expect(text.tokenCount).toBeLessThanOrEqual(60 + 16);
    }
  });

  it("reports the tokens of its own text, one piece per token", () => {
    const text = generateChatText(randomFor("pieces"));
    expect(text.tokenCount).toBe(countTextTokens(text.text));
    expect(text.pieces.join("")).toBe(text.text);
    expect(text.pieces).toHaveLength(text.tokenCount);
  });

  it("writes exactly outputTokens when asked", () => {
    const text = generateChatText(randomFor("long"), { outputTokens: 300 });
    expect(text.tokenCount).toBe(300);
    expect(text.finishReason).toBe("stop");
  });

  it("cuts at the token limit with finish reason length, keeping the same prefix", () => {
    const free = generateChatText(randomFor("limit"));
    const cut = generateChatText(randomFor("limit"), { maxTokens: 7 });
    expect(cut.finishReason).toBe("length");
    expect(cut.tokenCount).toBe(7);
    expect(free.text.startsWith(cut.text)).toBe(true);
    const roomy = generateChatText(randomFor("limit"), { maxTokens: 10_000 });
    expect(roomy).toEqual(free);
  });

  it("stops before the first stop sequence, excluding it", () => {
    const free = generateChatText(randomFor("stop"));
    const words = free.text.split(" ");
    const stopWord = ` ${words[Math.floor(words.length / 2)]}`;
    const stopped = generateChatText(randomFor("stop"), { stop: ["zzz-not-there", stopWord] });
    expect(stopped.finishReason).toBe("stop");
    expect(stopped.text).toBe(free.text.slice(0, free.text.indexOf(stopWord)));
    expect(stopped.text).not.toContain(stopWord);
    expect(stopped.tokenCount).toBe(countTextTokens(stopped.text));
    expect(generateChatText(randomFor("stop"), { stop: ["zzz-not-there"] })).toEqual(free);
  });

  it("prefers the stop sequence when it comes before the token limit", () => {
    const free = generateChatText(randomFor("both"));
    const firstSpace = free.text.indexOf(" ");
    const stopped = generateChatText(randomFor("both"), { stop: [" "], maxTokens: 5 });
    expect(stopped.text).toBe(free.text.slice(0, firstSpace));
    expect(stopped.finishReason).toBe("stop");
  });
});
