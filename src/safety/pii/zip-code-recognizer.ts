import type { PiiCandidate, PiiRecognizer } from "./pii-recognizer.js";
import { regexMatches } from "./regex-matches.js";

/**
 * A postcode after a label ("zip code is 35350", "ZIP: 6280", "postal code 7412 SL"): US ZIP and ZIP+4,
 * 3-6 digit codes (most of Europe, Latin America, Asia), Dutch "1234 AB", Canadian "K1A 0B1", UK "SW1A 1AA".
 * Without the label a bare number is a postcode too rarely to report.
 */
const zipCodePattern =
  /(?<![\p{L}])(?:zip|zipcode|postcode|postal code|post code|zip code|plz|cep)(?: (?:is|number|code))?:? ?(\d{3,6}(?:-\d{3,4})?(?: [A-Z]{2}(?![\p{L}]))?|[A-Z]\d[A-Z] ?\d[A-Z]\d|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})(?![\p{L}\p{N}])/giu;

export function createZipCodeRecognizer(): PiiRecognizer {
  return {
    types: ["ZIP_CODE"],
    patterns: [zipCodePattern],
    recognize(text: string): PiiCandidate[] {
      const candidates: PiiCandidate[] = [];
      for (const match of regexMatches(zipCodePattern, text)) {
        const code = match[1] ?? "";
        const end = match.index + match[0].length;
        candidates.push({ type: "ZIP_CODE", start: end - code.length, end, score: 0.85 });
      }
      return candidates;
    },
  };
}
