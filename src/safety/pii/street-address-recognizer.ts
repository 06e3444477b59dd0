import { blockContinuation } from "./address-block.js";
import {
  addressContext,
  streetPrefixes,
  streetSuffixes,
  streetWordEndings,
  unitWords,
} from "./address-vocabulary.js";
import { hasContextWord } from "./context-words.js";
import { englishDictionary } from "./gazetteers/english-dictionary.js";
import type { PiiCandidate, PiiRecognizer } from "./pii-recognizer.js";
import { sameRun, type WordToken, wordTokens } from "./word-tokens.js";

/** A piece of an address, as inclusive token indexes. */
interface AddressPart {
  readonly first: number;
  readonly last: number;
  readonly score: number;
}

const glueWords = new Set([
  "of",
  "the",
  "a",
  "an",
  "to",
  "in",
  "on",
  "for",
  "or",
  "by",
  "my",
  "your",
  "is",
  "was",
]);
const maximumStreetWords = 5;

function isWord(token: WordToken | undefined): token is WordToken {
  return token?.kind === "word";
}

function isNumber(token: WordToken | undefined): token is WordToken {
  return token?.kind === "number";
}

/** Extends `index` back over house numbers on the same line ("580 60 Balsham Road"). */
function withLeadingNumbers(text: string, tokens: readonly WordToken[], index: number): number {
  let first = index;
  for (;;) {
    const previous = tokens[first - 1];
    const current = tokens[first];
    if (!isNumber(previous) || current === undefined || !sameRun(text, previous, current)) {
      return first;
    }
    first -= 1;
  }
}

/** Includes the period of an abbreviation ("St.", "Apt.", "u.") in the part. */
function withPeriod(tokens: readonly WordToken[], index: number): number {
  return tokens[index + 1]?.text === "." && tokens[index + 1]?.start === tokens[index]?.end
    ? index + 1
    : index;
}

/** "Laukaantie", "Loorenstrasse": not an English word ("during" ends in "ring") and ends like a street. */
function endsLikeStreetWord(token: WordToken): boolean {
  return (
    token.text.length >= 5 &&
    streetWordEndings.some(
      (ending) => token.lower.endsWith(ending) && token.lower.length > ending.length + 1,
    ) &&
    !englishDictionary().has(token.lower)
  );
}

/** "Apt. 864", "Suite 500", "P.O. Box 149", "APO AE 85103". */
function unitPart(tokens: readonly WordToken[], index: number): AddressPart | undefined {
  const token = tokens[index];
  if (!isWord(token) || !unitWords.has(token.lower)) {
    return undefined;
  }
  let cursor = index + 1;
  while (tokens[cursor]?.text === "." || tokens[cursor]?.text === "#") {
    cursor += 1;
  }
  if ((token.lower === "apo" || token.lower === "fpo" || token.lower === "dpo") && isWord(tokens[cursor])) {
    cursor += 1;
  }
  if (!isNumber(tokens[cursor])) {
    return undefined;
  }
  let first = index;
  // "P.O. Box": P . O . before the box.
  if (token.lower === "box" && tokens[index - 1]?.text === "." && tokens[index - 2]?.lower === "o") {
    first = Math.max(0, index - 4);
  }
  return { first, last: cursor, score: 0.7 };
}

/** "[580] 60 Balsham Road", "31 Rue tachkent St." */
function suffixPart(text: string, tokens: readonly WordToken[], index: number): AddressPart | undefined {
  const suffix = tokens[index];
  if (!isWord(suffix) || !streetSuffixes.has(suffix.lower)) {
    return undefined;
  }
  let cursor = index - 1;
  let words = 0;
  while (isWord(tokens[cursor]) && words < maximumStreetWords) {
    const word = tokens[cursor];
    const next = tokens[cursor + 1];
    if (word === undefined || next === undefined || !sameRun(text, word, next) || glueWords.has(word.lower)) {
      return undefined;
    }
    words += 1;
    cursor -= 1;
  }
  const number = tokens[cursor];
  const afterNumber = tokens[cursor + 1];
  if (words === 0 || !isNumber(number) || afterNumber === undefined || !sameRun(text, number, afterNumber)) {
    return undefined;
  }
  return { first: withLeadingNumbers(text, tokens, cursor), last: withPeriod(tokens, index), score: 0.8 };
}

/** "Rue de Piétrain 371", "Via Franscini 71", "3247 Rua Igreja 25". */
function prefixPart(text: string, tokens: readonly WordToken[], index: number): AddressPart | undefined {
  const prefix = tokens[index];
  if (!isWord(prefix) || !streetPrefixes.has(prefix.lower)) {
    return undefined;
  }
  const numberBefore = isNumber(tokens[index - 1]);
  if (!prefix.capitalised && !numberBefore) {
    return undefined;
  }
  let last = withPeriod(tokens, index);
  let words = 0;
  for (;;) {
    const current = tokens[last];
    const next = tokens[last + 1];
    if (
      current === undefined ||
      next === undefined ||
      !(sameRun(text, current, next) || current.text === ".")
    ) {
      break;
    }
    if (isWord(next) && words < maximumStreetWords && (next.capitalised || words < 3)) {
      words += 1;
      last += 1;
      continue;
    }
    if (isNumber(next) && words > 0) {
      last += 1;
    }
    break;
  }
  if (words === 0) {
    return undefined;
  }
  const numbered = numberBefore || isNumber(tokens[last]);
  const first = numberBefore ? withLeadingNumbers(text, tokens, index - 1) : index;
  return { first, last, score: numbered ? 0.75 : 0.55 };
}

/** "[6750] Koskikatu 25", "Loorenstrasse 149", and with a house number before, "6750 Pagari 18". */
function numberedNamePart(
  text: string,
  tokens: readonly WordToken[],
  index: number,
): AddressPart | undefined {
  const name = tokens[index];
  const number = tokens[index + 1];
  if (!isWord(name) || !isNumber(number) || !sameRun(text, name, number) || number.text.length > 5) {
    return undefined;
  }
  if (endsLikeStreetWord(name)) {
    return {
      first: withLeadingNumbers(text, tokens, index),
      last: withPeriod(tokens, index + 1),
      score: 0.75,
    };
  }
  let first = index;
  while (isWord(tokens[first - 1]) && index - first < 3) {
    const word = tokens[first - 1];
    if (
      word === undefined ||
      !word.capitalised ||
      glueWords.has(word.lower) ||
      !sameRun(text, word, tokens[first] ?? word)
    ) {
      break;
    }
    first -= 1;
  }
  const houseNumber = tokens[first - 1];
  const firstWord = tokens[first];
  if (
    name.capitalised &&
    isNumber(houseNumber) &&
    firstWord !== undefined &&
    sameRun(text, houseNumber, firstWord)
  ) {
    return {
      first: withLeadingNumbers(text, tokens, first - 1),
      last: withPeriod(tokens, index + 1),
      score: 0.65,
    };
  }
  return undefined;
}

function isAddressWord(word: string): boolean {
  return streetSuffixes.has(word) || streetPrefixes.has(word) || unitWords.has(word);
}

function addressParts(text: string, tokens: readonly WordToken[]): AddressPart[] {
  const parts: AddressPart[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    const part =
      unitPart(tokens, index) ??
      suffixPart(text, tokens, index) ??
      prefixPart(text, tokens, index) ??
      numberedNamePart(text, tokens, index);
    if (part !== undefined) {
      parts.push(part);
    }
  }
  return parts.sort((first, second) => first.first - second.first);
}

/** Parts separated only by white space and commas (at most two line breaks) belong to one address. */
function mergeParts(
  text: string,
  tokens: readonly WordToken[],
  parts: readonly AddressPart[],
): AddressPart[] {
  const merged: AddressPart[] = [];
  for (const part of parts) {
    const previous = merged.at(-1);
    const previousEnd = tokens[previous?.last ?? -1]?.end;
    const start = tokens[part.first]?.start;
    if (previous !== undefined && previousEnd !== undefined && start !== undefined) {
      const gap = start <= previousEnd ? "" : text.slice(previousEnd, start);
      const lineBreaks = gap.split("\n").length - 1;
      if (gap.replaceAll(",", "").trim() === "" && lineBreaks <= 2) {
        merged[merged.length - 1] = {
          first: previous.first,
          last: Math.max(previous.last, part.last),
          score: Math.max(previous.score, part.score),
        };
        continue;
      }
    }
    merged.push(part);
  }
  return merged;
}

/**
 * Street addresses in the shapes used across Europe and the Americas: house number and street with a type
 * word ("90 Whitchurch Road", "Rue de la Gare 12", "Laukaantie 80"), flats and boxes ("Apt. 864",
 * "P.O. Box 149", "PSC 6293, Box 8158"), then the town, postcode and country lines that follow. Towns in
 * those lines are also reported as LOCATION, since only the address's shape says they are places.
 */
export function createStreetAddressRecognizer(): PiiRecognizer {
  return {
    types: ["STREET_ADDRESS", "LOCATION"],
    patterns: [],
    recognize(text: string): PiiCandidate[] {
      const tokens = wordTokens(text);
      const candidates: PiiCandidate[] = [];
      for (const part of mergeParts(text, tokens, addressParts(text, tokens))) {
        const block = blockContinuation(text, tokens, part.last);
        const firstToken = tokens[part.first];
        const lastToken = tokens[block.last];
        if (firstToken === undefined || lastToken === undefined) {
          continue;
        }
        const context = hasContextWord(text, firstToken.start, lastToken.end, addressContext, { after: 0 });
        const score = Math.min(1, part.score + (context ? 0.15 : 0) + (block.last > part.last ? 0.1 : 0));
        candidates.push({ type: "STREET_ADDRESS", start: firstToken.start, end: lastToken.end, score });
        for (const [runFirst, runLast] of block.townRuns) {
          const runStart = tokens[runFirst];
          const runEnd = tokens[runLast];
          const addressWord = runFirst === runLast && runStart !== undefined && isAddressWord(runStart.lower);
          if (
            runStart !== undefined &&
            runEnd !== undefined &&
            runEnd.end - runStart.start > 2 &&
            !addressWord
          ) {
            candidates.push({ type: "LOCATION", start: runStart.start, end: runEnd.end, score: 0.45 });
          }
        }
      }
      return candidates;
    },
  };
}
