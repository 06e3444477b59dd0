import { hasContextWord } from "./context-words.js";
import type { PiiCandidate, PiiRecognizer } from "./pii-recognizer.js";
import { regexMatches } from "./regex-matches.js";

/**
 * US driver's licence numbers have some fifty state formats: one or two letters and digits, or digits with
 * hyphens. Too weak a shape to report alone, so only reported next to licence context.
 */
const licensePattern = /(?<![\p{L}\p{N}-])[A-Za-z]{0,2}\d{4,14}(?:-\d{2,7}){0,3}(?![\p{L}\p{N}]|-\d)/gu;

const licenseContext = new Set(["driver", "drivers", "driving", "license", "licence", "dl", "permit"]);

export function createUsDriverLicenseRecognizer(): PiiRecognizer {
  return {
    types: ["US_DRIVER_LICENSE"],
    patterns: [licensePattern],
    recognize(text: string): PiiCandidate[] {
      const candidates: PiiCandidate[] = [];
      for (const match of regexMatches(licensePattern, text)) {
        const start = match.index;
        const end = start + match[0].length;
        if (hasContextWord(text, start, end, licenseContext, { before: 40, after: 0 })) {
          candidates.push({ type: "US_DRIVER_LICENSE", start, end, score: 0.75 });
        }
      }
      return candidates;
    },
  };
}
