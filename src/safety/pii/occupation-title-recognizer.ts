import { englishLexicon } from "./gazetteers/english-lexicon.js";
import type { PiiCandidate, PiiRecognizer } from "./pii-recognizer.js";
import { wordTokens } from "./word-tokens.js";

const maximumTitleWords = 5;

/**
 * Job titles on a line of their own, as in signatures and CVs ("Leasing consultant", "Dairy scientist"):
 * a short line whose last word is an occupation in compromise's lexicon. Honorifics ("Mr.", "Dr.") are
 * reported by the person recognizer.
 */
export function createOccupationTitleRecognizer(): PiiRecognizer {
  return {
    types: ["TITLE"],
    patterns: [],
    recognize(text: string): PiiCandidate[] {
      const occupations = englishLexicon().occupations;
      const tokens = wordTokens(text);
      const candidates: PiiCandidate[] = [];
      let lineStart = 0;
      for (let index = 0; index <= tokens.length; index += 1) {
        const token = tokens[index];
        if (token !== undefined && (index === 0 || !token.startsLine)) {
          continue;
        }
        const line = tokens.slice(lineStart, index);
        const first = line[0];
        const last = line.at(-1);
        const onlyWords = line.every(
          (word) => word.kind === "word" || word.text === "'s" || word.text === ",",
        );
        if (
          first !== undefined &&
          last !== undefined &&
          line.length <= maximumTitleWords &&
          onlyWords &&
          occupations.has(last.lower)
        ) {
          candidates.push({ type: "TITLE", start: first.start, end: last.end, score: 0.6 });
        }
        lineStart = index;
      }
      return candidates;
    },
  };
}
