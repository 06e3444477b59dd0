import { englishDictionary } from "./gazetteers/english-dictionary.js";
import { englishLexicon } from "./gazetteers/english-lexicon.js";
import { placeGazetteer } from "./gazetteers/place-gazetteer.js";
import { organizationSuffixes } from "./organization-suffixes.js";
import type { PiiCandidate, PiiRecognizer } from "./pii-recognizer.js";
import { sameRun, type WordToken, wordTokens } from "./word-tokens.js";

const honorifics: ReadonlySet<string> = new Set([
  "mr",
  "mrs",
  "ms",
  "miss",
  "mx",
  "dr",
  "prof",
  "sir",
  "madam",
  "dame",
  "rev",
  "mister",
  "doctor",
]);

/** Words just before a name that say a person's name follows ("my name is", "Dear", "directed by"). */
const nameCuesBefore = new Set([
  "name",
  "named",
  "called",
  "dear",
  "hi",
  "hello",
  "hey",
  "by",
  "with",
  "thanks",
  "contact",
  "ask",
  "tell",
  "patient",
  "client",
  "customer",
  "i'm",
  "am",
  "to",
  "says",
  "said",
  "asked",
  "starring",
  "ex",
  "and",
]);
/** Strong cues: a name follows for certain. */
const strongCuesBefore = new Set(["name", "named", "called", "dear", "i'm", "am"]);
/** Words just after a name that say it is a person ("Becker says", "Tosh Olsen lives at"). */
const nameCuesAfter = new Set([
  "said",
  "says",
  "shouted",
  "told",
  "asked",
  "replied",
  "lives",
  "lived",
  "spent",
  "began",
  "works",
  "wrote",
  "had",
  "has",
  "is",
  "was",
  "from",
  "and",
]);

const calendarWords = new Set([
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
  "january",
  "february",
  "march",
  "april",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
]);

function isInitial(token: WordToken): boolean {
  return token.kind === "word" && token.text.length === 1 && token.capitalised;
}

function isNameWord(token: WordToken): boolean {
  if (token.kind !== "word" || !token.capitalised || token.allCaps || token.text.length < 2) {
    return false;
  }
  const lexicon = englishLexicon();
  if (
    honorifics.has(token.lower) ||
    calendarWords.has(token.lower) ||
    organizationSuffixes.has(token.lower)
  ) {
    return false;
  }
  if (lexicon.firstNames.has(token.lower) || lexicon.lastNames.has(token.lower)) {
    return true;
  }
  return !lexicon.commonWords.has(token.lower) && !lexicon.demonyms.has(token.lower);
}

interface NameRun {
  readonly first: number;
  readonly last: number;
}

/** Maximal runs of name words and initials ("Faina D. Yefremova", "Juliusz A Kwiatkowski") on one line. */
function nameRuns(text: string, tokens: readonly WordToken[]): NameRun[] {
  const runs: NameRun[] = [];
  let index = 0;
  while (index < tokens.length) {
    const token = tokens[index];
    if (token === undefined || !isNameWord(token)) {
      index += 1;
      continue;
    }
    let last = index;
    for (;;) {
      const current = tokens[last];
      let next = last + 1;
      let nextToken = tokens[next];
      if (current === undefined || nextToken === undefined) {
        break;
      }
      if (nextToken.text === "." && isInitial(current)) {
        next += 1;
        nextToken = tokens[next];
      }
      const gapStart = tokens[next - 1] ?? current;
      if (nextToken === undefined || !(sameRun(text, gapStart, nextToken) || gapStart.text === ".")) {
        break;
      }
      if (!(isNameWord(nextToken) || (isInitial(nextToken) && tokens[next + 1] !== undefined))) {
        break;
      }
      last = next;
      if (last - index > 5) {
        break;
      }
    }
    runs.push({ first: index, last });
    index = last + 1;
  }
  return runs;
}

/** The index of the closest token before `index` that is not punctuation, or -1. */
function previousWordIndex(tokens: readonly WordToken[], index: number): number {
  let cursor = index - 1;
  while (cursor >= 0 && tokens[cursor]?.kind === "symbol" && tokens[cursor]?.text !== ":") {
    cursor -= 1;
  }
  return cursor;
}

/** "my name is X", "Name: X", "I'm X", "Dear X". */
function isStrongCue(tokens: readonly WordToken[], beforeIndex: number): boolean {
  const before = tokens[beforeIndex];
  if (before === undefined) {
    return false;
  }
  if (strongCuesBefore.has(before.lower)) {
    return true;
  }
  const earlier = tokens[previousWordIndex(tokens, beforeIndex)];
  return (before.lower === "is" || before.text === ":") && earlier?.lower === "name";
}

/**
 * People's names: runs of capitalised words that are not common English words, scored by what supports
 * them: a known first name (compromise's lexicon of some 3,000), a known surname, an honorific before
 * ("Dr. Lahtela", which also yields a TITLE), a cue word ("my name is", "Dear", "says"), or a line of its own.
 */
export function createPersonRecognizer(): PiiRecognizer {
  return {
    types: ["PERSON", "TITLE"],
    patterns: [],
    recognize(text: string): PiiCandidate[] {
      const lexicon = englishLexicon();
      const places = placeGazetteer();
      const tokens = wordTokens(text);
      const candidates: PiiCandidate[] = [];
      for (const run of nameRuns(text, tokens)) {
        const firstToken = tokens[run.first];
        const lastToken = tokens[run.last];
        if (firstToken === undefined || lastToken === undefined) {
          continue;
        }
        const words = tokens.slice(run.first, run.last + 1).filter((token) => token.kind === "word");
        const multiWord = words.length >= 2;
        const beforeIndex = previousWordIndex(tokens, run.first);
        const before = tokens[beforeIndex];
        const afterToken = tokens[run.last + 1];
        const after = afterToken;
        const dictionary = englishDictionary();
        const knownName = words.some(
          (token) => lexicon.firstNames.has(token.lower) || lexicon.lastNames.has(token.lower),
        );
        const allDictionaryWords = words.every((token) => dictionary.has(token.lower));
        let score = multiWord ? 0.45 : 0.2;
        if (allDictionaryWords && !knownName) {
          score = 0.05;
        }
        if (lexicon.firstNames.has(firstToken.lower)) {
          score = multiWord ? 0.8 : 0.6;
        } else if (multiWord && lexicon.lastNames.has(lastToken.lower)) {
          score = 0.7;
        } else if (lexicon.lastNames.has(firstToken.lower) || lexicon.people.has(firstToken.lower)) {
          score = 0.5;
        }
        const phrase = words.map((token) => token.lower).join(" ");
        if (places.lookup(phrase) !== undefined && !lexicon.firstNames.has(firstToken.lower)) {
          score -= 0.2;
        }
        if (before !== undefined && honorifics.has(before.lower)) {
          score = Math.max(score, 0.9);
          const dot = tokens[run.first - 1]?.text === "." ? tokens[run.first - 1] : undefined;
          candidates.push({ type: "TITLE", start: before.start, end: dot?.end ?? before.end, score: 0.85 });
        } else if (before !== undefined && isStrongCue(tokens, beforeIndex)) {
          score = Math.max(score + 0.3, 0.75);
        } else if (before !== undefined && nameCuesBefore.has(before.lower)) {
          score += 0.25;
        }
        if (after !== undefined && nameCuesAfter.has(after.lower) && sameRun(text, lastToken, after)) {
          score += 0.25;
        } else if (after?.text === ":" && firstToken.startsLine) {
          // A speaker's name opening a line of dialogue: "Koppány: ...".
          score += 0.25;
        }
        if (firstToken.startsLine && (afterToken === undefined || afterToken.startsLine) && multiWord) {
          score += 0.15;
        }
        candidates.push({
          type: "PERSON",
          start: firstToken.start,
          end: lastToken.end,
          score: Math.min(1, score),
        });
      }
      return candidates;
    },
  };
}
