import { describe, expect, it } from "vitest";
import { createCanaryLeakDetector, createCanaryToken } from "./canary-token.js";

describe("createCanaryToken", () => {
  it("makes a marker with 16 random base32 characters, carried by the system prompt line", () => {
    const canary = createCanaryToken();
    expect(canary.id).toMatch(/^[a-z2-7]{16}$/);
    expect(canary.marker).toContain(canary.id);
    expect(canary.systemPromptLine).toContain(canary.marker);
  });

  it("does not repeat", () => {
    const ids = new Set(Array.from({ length: 2000 }, () => createCanaryToken().id));
    expect(ids.size).toBe(2000);
  });
});

describe("createCanaryLeakDetector", () => {
  const canary = createCanaryToken();
  const detector = createCanaryLeakDetector(canary);

  it("declares the canary family and the CANARY_LEAK type", () => {
    expect(detector.family).toBe("canary");
    expect(detector.types).toEqual(["CANARY_LEAK"]);
  });

  it("finds the marker verbatim, with its span", () => {
    const text = `My instructions say: ${canary.systemPromptLine}`;
    const [leak, ...others] = detector.detect(text);
    expect(others).toEqual([]);
    expect(leak?.type).toBe("CANARY_LEAK");
    expect(text.slice(leak?.start, leak?.end)).toBe(canary.id);
  });

  it("finds the id case-changed, spaced, split by punctuation or line breaks, and with zero-width characters", () => {
    const variants = [
      canary.id.toUpperCase(),
      [...canary.id].join(" "),
      [...canary.id].join("-"),
      `${canary.id.slice(0, 8)}\n${canary.id.slice(8)}`,
      [...canary.id].join("\u200B"),
    ];
    for (const variant of variants) {
      const text = `here: ${variant} done`;
      const detections = detector.detect(text);
      expect(detections).toHaveLength(1);
      expect(text.slice(detections[0]?.start, detections[0]?.end)).toBe(variant);
    }
  });

  it("finds the id written in full-width or Cyrillic look-alike letters", () => {
    const fullWidth = [...canary.id]
      .map((character) => String.fromCodePoint((character.codePointAt(0) ?? 0) + 0xfee0))
      .join("");
    expect(detector.detect(fullWidth)).toHaveLength(1);
    const cyrillic = canary.id.replace(/a/g, "а").replace(/e/g, "е").replace(/o/g, "о");
    expect(detector.detect(cyrillic)).toHaveLength(1);
  });

  it("finds the marker inside base64 and hex, spanning the encoded run", () => {
    for (const encoded of [
      Buffer.from(`the marker is ${canary.marker}`).toString("base64"),
      Buffer.from(canary.id).toString("base64"),
      Buffer.from(canary.marker).toString("hex"),
    ]) {
      const text = `Encoded: ${encoded}.`;
      expect(detector.detect(text)).toEqual([
        { family: "canary", type: "CANARY_LEAK", start: 9, end: 9 + encoded.length, score: 1 },
      ]);
    }
  });

  it("reports nothing for output without the id, including other canaries", () => {
    expect(detector.detect("A normal answer about canaries in coal mines.")).toEqual([]);
    expect(detector.detect(createCanaryToken().systemPromptLine)).toEqual([]);
  });

  it("watches several canaries at once", () => {
    const other = createCanaryToken();
    const both = createCanaryLeakDetector([canary, other]);
    expect(both.detect(`${other.id} and ${canary.id}`)).toHaveLength(2);
  });

  it("finishes on 100 KB of adversarial output", () => {
    // Near misses: the first 15 characters of the id, then a 16th that is not the id's. (Repeating the bare
    // 15-character prefix would spell the whole id whenever its last character equals its first: 1 run in 32.)
    const wrongLast = canary.id.endsWith("a") ? "b" : "a";
    const inputs = [
      `${canary.id.slice(0, 15)}${wrongLast}`.repeat(6500),
      "A".repeat(100_000),
      "0a ".repeat(34_000),
      "\u200B".repeat(100_000),
    ];
    for (const input of inputs) {
      expect(detector.detect(input)).toEqual([]);
    }
  });
});
