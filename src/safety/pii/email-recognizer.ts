import { parse } from "tldts";
import { boostedScore, hasContextWord } from "./context-words.js";
import type { PiiCandidate, PiiRecognizer } from "./pii-recognizer.js";
import { regexMatches } from "./regex-matches.js";
import { trimTrailing } from "./trim-trailing.js";

/**
 * Local part, "@", then dot-separated labels, each as long as RFC 5321 allows. The look-behind anchors a
 * match at the start of a local part and the bounds cap each attempt, so scanning stays linear.
 */
const emailPattern =
  /(?<![\p{L}\p{N}._%+@-])[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63}){1,8}/gu;

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
