import { foldConfusables } from "./confusable-folding.js";

/**
 * Zero-width characters, bidi controls, soft hyphens, variation selectors and other format characters that
 * render as nothing: attackers put them inside words so that "ig\u200Bnore" defeats a plain match.
 */
export const invisibleCharacterPattern =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: each listed code point is removed on its own; some are combining marks by category, none is meant to combine here.
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/g;

/**
 * Unicode tag characters (U+E0020–U+E007E) mirror printable ASCII and render as nothing ("ASCII smuggling"):
 * they are decoded to the ASCII they hide rather than dropped, so hidden instructions get scanned.
 */
export const tagCharacterPattern = /[\u{E0000}-\u{E007F}]/gu;

/** Digits and symbols read as letters inside a word (leetspeak). */
const leetToLetter: ReadonlyMap<string, string> = new Map([
  ["0", "o"],
  ["1", "i"],
  ["3", "e"],
  ["4", "a"],
  ["5", "s"],
  ["7", "t"],
  ["@", "a"],
  ["$", "s"],
]);

export const leetTokenPattern = /[a-z0-9@$]+/g;
export const letterPattern = /[a-z]/;
export const horizontalSpacePattern = /[^\S\n]+/g;
export const blankLinesPattern = /\n[\n ]*/g;
export const nonLetterPattern = /[^a-z]+/g;

/** Removes invisible characters and reveals text hidden in tag characters; applies NFKC. */
export function revealHiddenText(text: string): string {
  return text
    .replace(tagCharacterPattern, (tag) => {
      const codePoint = (tag.codePointAt(0) ?? 0) - 0xe0000;
      return codePoint >= 0x20 && codePoint <= 0x7e ? String.fromCharCode(codePoint) : "";
    })
    .normalize("NFKC")
    .replace(invisibleCharacterPattern, "");
}

function foldLeetspeak(lowercaseText: string): string {
  return lowercaseText.replace(leetTokenPattern, (token) => {
    if (!letterPattern.test(token)) {
      return token;
    }
    let folded = "";
    for (const character of token) {
      folded += leetToLetter.get(character) ?? character;
    }
    return folded;
  });
}

/** The views of one text the heuristics and the classifier read. */
export interface NormalizedText {
  /** Hidden text revealed, NFKC, lowercase, look-alikes and leetspeak folded, spaces collapsed, newlines kept. */
  readonly words: string;
  /** `words` with everything but a–z removed: "i g n o r e" and "i.g.n.o.r.e" both read "ignore". */
  readonly compact: string;
}

export function normalizeText(text: string): NormalizedText {
  const folded = foldLeetspeak(foldConfusables(revealHiddenText(text).toLowerCase()));
  const words = folded.replace(horizontalSpacePattern, " ").replace(blankLinesPattern, "\n").trim();
  return { words, compact: words.replace(nonLetterPattern, "") };
}
