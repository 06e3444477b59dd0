import { englishLexicon } from "./gazetteers/english-lexicon.js";
import { organizationSuffixes } from "./organization-suffixes.js";
import type { PiiCandidate, PiiRecognizer } from "./pii-recognizer.js";
import { sameRun, type WordToken, wordTokens } from "./word-tokens.js";

/** Lower-case words allowed inside a name ("Bank of America", "Procter and Gamble"). */
const innerWords = new Set(["of", "and", "the", "for", "&", "de"]);
/** "works for X", "employed by X", "joined X". */
const employmentVerbs = new Set([
  "work",
  "works",
  "worked",
  "working",
  "employed",
  "joined",
  "join",
  "employer",
]);
const employmentPrepositions = new Set(["for", "at", "by"]);
const maximumNameWords = 5;

function isNameToken(token: WordToken | undefined): boolean {
  return token !== undefined && ((token.kind === "word" && token.capitalised) || token.kind === "number");
}

/** Index of the first token of the capitalised run that ends at `last` (numbers allowed: "3 Round Stones"). */
function runStart(text: string, tokens: readonly WordToken[], last: number): number {
  let first = last;
  while (last - first < maximumNameWords) {
    const previous = tokens[first - 1];
    const current = tokens[first];
    if (previous === undefined || current === undefined) {
      break;
    }
    const joined = sameRun(text, previous, current) || previous.text === "," || previous.text === "&";
    if (!joined) {
      break;
    }
    if (isNameToken(previous) || previous.text === "&" || innerWords.has(previous.lower)) {
      first -= 1;
      continue;
    }
    if (previous.text === ",") {
      // "Clark, Romero and Hall": a comma inside a list of names.
      first -= 1;
      continue;
    }
    break;
  }
  while (first < last && !isNameToken(tokens[first])) {
    first += 1;
  }
  return first;
}

/**
 * Organisation names: capitalised runs ending in a company or institution word ("Civic Impulse LLC",
 * "Rand Corporation"), lists of surnames in the style of firms ("Clark, Romero and Hall"), names from
 * compromise's lexicon, and capitalised runs after "works for" / "employed by".
 */
export function createOrganizationRecognizer(): PiiRecognizer {
  return {
    types: ["ORGANIZATION"],
    patterns: [],
    recognize(text: string): PiiCandidate[] {
      const lexicon = englishLexicon();
      const tokens = wordTokens(text);
      const candidates: PiiCandidate[] = [];
      const add = (first: number, last: number, score: number): void => {
        const start = tokens[first];
        const end = tokens[last];
        if (start !== undefined && end !== undefined) {
          candidates.push({ type: "ORGANIZATION", start: start.start, end: end.end, score });
        }
      };
      for (let index = 0; index < tokens.length; index += 1) {
        const token = tokens[index];
        if (token === undefined || token.kind !== "word") {
          continue;
        }
        if (token.capitalised && organizationSuffixes.has(token.lower) && index > 0) {
          const first = runStart(text, tokens, index);
          const last = tokens[index + 1]?.text === "." ? index + 1 : index;
          if (first < index) {
            add(first, last, 0.75);
          }
          continue;
        }
        // "Surname, Surname and Surname"
        const comma = tokens[index + 1];
        const second = tokens[index + 2];
        const and = tokens[index + 3];
        const third = tokens[index + 4];
        if (
          token.capitalised &&
          comma?.text === "," &&
          second?.kind === "word" &&
          isNameToken(second) &&
          and?.lower === "and" &&
          third?.kind === "word" &&
          isNameToken(third)
        ) {
          add(index, index + 4, 0.6);
        }
        if (employmentVerbs.has(token.lower)) {
          const preposition = tokens[index + 1];
          let cursor =
            preposition !== undefined && employmentPrepositions.has(preposition.lower) ? index + 2 : -1;
          const first = cursor;
          while (cursor !== -1 && isNameToken(tokens[cursor]) && cursor - first < maximumNameWords) {
            cursor += 1;
          }
          if (first !== -1 && cursor > first) {
            add(first, cursor - 1, 0.6);
          }
        }
        if (token.capitalised) {
          let phrase = token.lower;
          for (let last = index; last < Math.min(tokens.length, index + 4); last += 1) {
            const current = tokens[last];
            if (current === undefined) {
              break;
            }
            if (last > index) {
              const previous = tokens[last - 1];
              if (previous === undefined || !sameRun(text, previous, current)) {
                break;
              }
              phrase = `${phrase} ${current.lower}`;
            }
            if (lexicon.organizations.has(phrase) && (last > index || token.text.length > 3)) {
              add(index, last, 0.55);
            }
          }
        }
      }
      return candidates;
    },
  };
}
