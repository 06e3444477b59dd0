import { parse } from "tldts";
import { boostedScore, hasContextWord } from "./context-words.js";
import type { PiiCandidate, PiiRecognizer } from "./pii-recognizer.js";
import { regexMatches } from "./regex-matches.js";
import { trimTrailing } from "./trim-trailing.js";

/**
 * Local part, "@", then dot-separated labels. The look-behind anchors a match at the start of a local part,
 * so a long run of local-part characters is scanned once, not once per starting position.
 */
const emailPattern = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

const emailContext = new Set(["email", "e", "mail", "contact", "address", "write", "reach"]);

export function createEmailRecognizer(): PiiRecognizer {
  return {
    types: ["EMAIL_ADDRESS"],
    patterns: [emailPattern],
    recognize(text: string): PiiCandidate[] {
      const candidates: PiiCandidate[] = [];
      for (const match of regexMatches(emailPattern, text)) {
        const value = trimTrailing(match[0], ".-");
        const domain = value.slice(value.indexOf("@") + 1);
        const parsed = parse(domain);
        const knownSuffix = parsed.isIcann === true || parsed.isPrivate === true;
        const start = match.index;
        const end = start + value.length;
        const base = knownSuffix ? 0.9 : 0.5;
        candidates.push({
          type: "EMAIL_ADDRESS",
          start,
          end,
          score: boostedScore(base, hasContextWord(text, start, end, emailContext)),
        });
      }
      return candidates;
    },
  };
}
