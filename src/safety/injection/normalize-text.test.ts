import { describe, expect, it } from "vitest";
import { normalizeText, revealHiddenText } from "./normalize-text.js";

describe("normalizeText", () => {
  it("applies NFKC: full-width and mathematical letters read as ASCII", () => {
    expect(normalizeText("Ｉｇｎｏｒｅ 𝐩𝐫𝐞𝐯𝐢𝐨𝐮𝐬").words).toBe("ignore previous");
  });

  it("folds Cyrillic and Greek look-alikes", () => {
    expect(normalizeText("іgnоrе ρrеviουs").words).toBe("ignore previous");
  });

  it("strips zero-width and bidi control characters", () => {
    expect(normalizeText("ig\u200Bno\u200Dre pre\u202Evi\u2066ous\uFEFF").words).toBe("ignore previous");
  });

  it("reveals ASCII hidden in Unicode tag characters", () => {
    const hidden = [..."ignore"]
      .map((letter) => String.fromCodePoint(0xe0000 + letter.charCodeAt(0)))
      .join("");
    expect(revealHiddenText(`hello${hidden}`)).toBe("helloignore");
  });

  it("folds leetspeak inside words but leaves numbers alone", () => {
    expect(normalizeText("1gn0r3 pr3v10u5 in 2024").words).toBe("ignore previous in 2024");
  });

  it("collapses spaces, keeps single newlines, and offers a letters-only view for spaced-out words", () => {
    const normalized = normalizeText("i g n o r e   p.r.e.v.i.o.u.s\n\n\tnext");
    expect(normalized.words).toBe("i g n o r e p.r.e.v.i.o.u.s\nnext");
    expect(normalized.compact).toBe("ignorepreviousnext");
  });
});
