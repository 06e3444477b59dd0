import { englishLexicon } from "./gazetteers/english-lexicon.js";
import type { PiiCandidate, PiiRecognizer } from "./pii-recognizer.js";
import { wordTokens } from "./word-tokens.js";

/**
 * Nationalities, religious and political groups (Presidio's NRP). Nationalities are compromise's demonyms;
 * the religious and political groups are this list.
 */
const religiousAndPoliticalGroups = new Set([
  "christian",
  "christians",
  "catholic",
  "catholics",
  "protestant",
  "protestants",
  "orthodox",
  "evangelical",
  "mormon",
  "muslim",
  "muslims",
  "islamic",
  "sunni",
  "sunnis",
  "shia",
  "shiite",
  "shiites",
  "shiis",
  "jewish",
  "jew",
  "jews",
  "hindu",
  "hindus",
  "buddhist",
  "buddhists",
  "sikh",
  "sikhs",
  "atheist",
  "atheists",
  "agnostic",
  "democrat",
  "democrats",
  "republican",
  "republicans",
  "socialist",
  "socialists",
  "communist",
  "communists",
  "libertarian",
  "libertarians",
]);

/** Nationality adjectives that compromise's lexicon lacks or tags as other words ("polish"); capitalised only. */
const nationalityAdjectives = new Set([
  "english",
  "spanish",
  "swedish",
  "polish",
  "danish",
  "finnish",
  "turkish",
  "irish",
  "scottish",
  "welsh",
  "british",
  "kurdish",
  "flemish",
  "dutch",
  "swiss",
  "czech",
  "slovak",
  "thai",
  "lao",
  "maltese",
  "portuguese",
  "japanese",
  "vietnamese",
  "icelandic",
  "faroese",
  "belizean",
  "belizian",
  "bruneian",
  "bruneians",
]);

export function createNrpRecognizer(): PiiRecognizer {
  return {
    types: ["NRP"],
    patterns: [],
    recognize(text: string): PiiCandidate[] {
      const lexicon = englishLexicon();
      const candidates: PiiCandidate[] = [];
      for (const token of wordTokens(text)) {
        if (token.kind !== "word") {
          continue;
        }
        const known = lexicon.demonyms.has(token.lower) || religiousAndPoliticalGroups.has(token.lower);
        if (!known && token.capitalised && nationalityAdjectives.has(token.lower)) {
          candidates.push({ type: "NRP", start: token.start, end: token.end, score: 0.7 });
        } else if (known) {
          candidates.push({
            type: "NRP",
            start: token.start,
            end: token.end,
            score: token.capitalised ? 0.7 : 0.5,
          });
        }
      }
      return candidates;
    },
  };
}
