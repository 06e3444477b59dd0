import { electronicFormatIBAN, isValidIBAN } from "ibantools";
import { boostedScore, hasContextWord } from "./context-words.js";
import type { PiiCandidate, PiiRecognizer } from "./pii-recognizer.js";
import { regexMatches } from "./regex-matches.js";

/**
 * Country code, two check digits, then 11 to 30 letters or digits, optionally in space-separated groups
 * (the paper format). Validity (country length, BBAN format, mod-97) is checked by ibantools.
 */
const ibanPattern = /(?<![\p{L}\p{N}])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}(?![\p{L}\p{N}])/gu;

const ibanContext = new Set(["iban", "account", "bank", "transfer", "wire", "sepa", "payment", "pay"]);

function isValid(candidate: string): boolean {
  const electronic = electronicFormatIBAN(candidate.toUpperCase());
  return electronic !== null && isValidIBAN(electronic);
}

/**
 * The pattern may run on into the next words ("GB82WEST12345698765432 to me"), so space-separated groups are
 * dropped from the end until what is left validates.
 */
function longestValidPrefix(value: string): string | null {
  let candidate = value;
  while (candidate.length >= 15) {
    if (isValid(candidate)) {
      return candidate;
    }
    const lastSpace = candidate.lastIndexOf(" ");
    if (lastSpace === -1) {
      return null;
    }
    candidate = candidate.slice(0, lastSpace);
  }
  return null;
}

export function createIbanRecognizer(): PiiRecognizer {
  return {
    types: ["IBAN_CODE"],
    patterns: [ibanPattern],
    recognize(text: string): PiiCandidate[] {
      const candidates: PiiCandidate[] = [];
      for (const match of regexMatches(ibanPattern, text)) {
        const value = longestValidPrefix(match[0]);
        if (value === null) {
          continue;
        }
        const start = match.index;
        const end = start + value.length;
        candidates.push({
          type: "IBAN_CODE",
          start,
          end,
          score: boostedScore(0.8, hasContextWord(text, start, end, ibanContext), 0.2),
        });
      }
      return candidates;
    },
  };
}
