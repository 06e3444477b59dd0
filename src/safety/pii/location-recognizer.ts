import { streetPrefixes, streetSuffixes, unitWords } from "./address-vocabulary.js";
import { englishDictionary } from "./gazetteers/english-dictionary.js";
import { englishLexicon } from "./gazetteers/english-lexicon.js";
import { type PlaceEntry, placeGazetteer } from "./gazetteers/place-gazetteer.js";
import type { PiiCandidate, PiiRecognizer } from "./pii-recognizer.js";
import { sameRun, type WordToken, wordTokens } from "./word-tokens.js";

/** Words that, just before a name, say it is a place. */
const placePrepositions = new Set([
  "in",
  "from",
  "to",
  "at",
  "near",
  "around",
  "outside",
  "visit",
  "visiting",
]);
const placeContext = new Set([
  "city",
  "town",
  "village",
  "country",
  "lives",
  "live",
  "living",
  "moved",
  "travel",
  "travelling",
  "traveling",
  "flew",
  "fly",
  "arrived",
  "born",
  "based",
  "located",
  "trip",
  "visit",
  "grew",
]);

/** A town called "Street" or "Suite" is not what the word means in an address. */
function isAddressWord(word: string): boolean {
  return streetSuffixes.has(word) || streetPrefixes.has(word) || unitWords.has(word);
}

function baseScore(entry: PlaceEntry): number {
  if (entry.kind === "country") {
    return 0.7;
  }
  if (entry.population >= 100_000) {
    return 0.55;
  }
  return entry.kind === "place" || entry.population >= 10_000 ? 0.45 : 0.35;
}

function hasPlaceContext(tokens: readonly WordToken[], first: number, last: number): boolean {
  const previous = tokens[first - 1];
  if (previous !== undefined && placePrepositions.has(previous.lower)) {
    return true;
  }
  for (let index = Math.max(0, first - 6); index < Math.min(tokens.length, last + 4); index += 1) {
    const token = tokens[index];
    if (token !== undefined && (index < first || index > last) && placeContext.has(token.lower)) {
      return true;
    }
  }
  return false;
}

/**
 * Countries, cities and regions from the gazetteers, matched longest first over runs of words. A
 * capitalised (or all-caps) mention is taken at a score set by how big the place is; a lower-case one only
 * after a place preposition ("to kiel"). Place names that are also common English words or first names score
 * lower, and context ("lives in", "city") raises the score.
 */
export function createLocationRecognizer(): PiiRecognizer {
  return {
    types: ["LOCATION"],
    patterns: [],
    recognize(text: string): PiiCandidate[] {
      const gazetteer = placeGazetteer();
      const lexicon = englishLexicon();
      const dictionary = englishDictionary();
      const tokens = wordTokens(text);
      const candidates: PiiCandidate[] = [];
      let index = 0;
      while (index < tokens.length) {
        const first = tokens[index];
        if (first === undefined || first.kind !== "word") {
          index += 1;
          continue;
        }
        // A lower-case mention counts only after a place preposition; skipping the rest unlooked-up saves most
        // of the gazetteer lookups in ordinary prose.
        const before = tokens[index - 1];
        if (!first.capitalised && (before === undefined || !placePrepositions.has(before.lower))) {
          index += 1;
          continue;
        }
        let matched: { last: number; entry: PlaceEntry } | undefined;
        let phrase = "";
        for (let last = index; last < Math.min(tokens.length, index + gazetteer.maximumWords); last += 1) {
          const token = tokens[last];
          const previous = tokens[last - 1];
          if (token === undefined || token.kind !== "word") {
            break;
          }
          if (last > index && (previous === undefined || !sameRun(text, previous, token))) {
            break;
          }
          phrase = last === index ? token.lower : `${phrase} ${token.lower}`;
          const entry = gazetteer.lookup(phrase);
          if (entry !== undefined) {
            matched = { last, entry };
          }
        }
        if (matched === undefined) {
          index += 1;
          continue;
        }
        const lastToken = tokens[matched.last] ?? first;
        const singleWord = matched.last === index;
        const context = hasPlaceContext(tokens, index, matched.last);
        const words = tokens.slice(index, matched.last + 1).map((token) => token.lower);
        const ordinaryWords = words.every((word) => dictionary.has(word) || lexicon.commonWords.has(word));
        const previous = tokens[index - 1];
        let score = baseScore(matched.entry);
        if (!first.capitalised) {
          const afterPreposition = previous !== undefined && placePrepositions.has(previous.lower);
          score = afterPreposition && matched.entry.population >= 100_000 ? 0.45 : 0;
        } else if (singleWord && isAddressWord(first.lower)) {
          score = 0;
        } else if (
          matched.entry.kind !== "country" &&
          matched.entry.population < 1_000_000 &&
          ordinaryWords
        ) {
          score -= 0.25;
        } else if (singleWord && lexicon.firstNames.has(first.lower)) {
          score -= 0.25;
        }
        if (context && first.capitalised) {
          score += 0.25;
        }
        if (score > 0) {
          candidates.push({
            type: "LOCATION",
            start: first.start,
            end: lastToken.end,
            score: Math.min(1, score),
          });
        }
        index = matched.last + 1;
      }
      return candidates;
    },
  };
}
