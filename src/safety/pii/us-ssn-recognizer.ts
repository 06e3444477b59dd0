import { boostedScore, hasContextWord } from "./context-words.js";
import type { PiiCandidate, PiiRecognizer } from "./pii-recognizer.js";
import { regexMatches } from "./regex-matches.js";

/** 3-2-4 digits separated by hyphens, spaces or dots, or nine bare digits; not inside a longer number. */
const ssnPattern = /(?<![\p{N}-])\d{3}(?:-\d{2}-|[ ]\d{2}[ ]|\.\d{2}\.|\d{2})\d{4}(?![\p{N}]|-\d)/gu;

const ssnContext = new Set(["ssn", "ssns", "social", "security", "ss", "ssid", "taxpayer", "tin"]);

/** Numbers the Social Security Administration never issues (area 000, 666, 9xx; group 00; serial 0000). */
function isIssuable(digits: string): boolean {
  const area = digits.slice(0, 3);
  const group = digits.slice(3, 5);
  const serial = digits.slice(5);
  return area !== "000" && area !== "666" && !area.startsWith("9") && group !== "00" && serial !== "0000";
}

export function createUsSsnRecognizer(): PiiRecognizer {
  return {
    types: ["US_SSN"],
    patterns: [ssnPattern],
    recognize(text: string): PiiCandidate[] {
      const candidates: PiiCandidate[] = [];
      for (const match of regexMatches(ssnPattern, text)) {
        const value = match[0];
        const digits =
          value.length === 9 ? value : `${value.slice(0, 3)}${value.slice(4, 6)}${value.slice(7)}`;
        if (!isIssuable(digits)) {
          continue;
        }
        const start = match.index;
        const end = start + value.length;
        const base = value.length === 9 ? 0.05 : value.includes("-") ? 0.5 : 0.3;
        candidates.push({
          type: "US_SSN",
          start,
          end,
          score: boostedScore(base, hasContextWord(text, start, end, ssnContext), 0.5),
        });
      }
      return candidates;
    },
  };
}
