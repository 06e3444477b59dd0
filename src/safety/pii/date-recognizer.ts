import { boostedScore, hasContextWord } from "./context-words.js";
import type { PiiCandidate, PiiRecognizer } from "./pii-recognizer.js";
import { regexMatches } from "./regex-matches.js";

const monthName =
  "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const ordinal = "\\d{1,2}(?:st|nd|rd|th)?";
const time = "(?:[ T]\\d{1,2}:\\d{2}(?::\\d{2})?(?: ?[ap]\\.?m\\.?)?)?";

/** ISO dates with an optional time: 1970-09-29, 1970-09-29 20:21:24. */
const isoDatePattern = new RegExp(`(?<![\\p{N}-])\\d{4}-\\d{1,2}-\\d{1,2}${time}(?![\\p{N}])`, "giu");
/** Day, month and year in digits: 9/20/1968, 20.09.1968, 20-09-68. */
const numericDatePattern = /(?<![\p{N}/.-])\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\p{N}]|[/.-]\d)/gu;
/** Dates with a month name: March 3, 1990; 3rd of March 1990; March 1990. */
const namedMonthDatePattern = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${monthName}\\.? ${ordinal},? \\d{4}|${ordinal} (?:of )?${monthName}\\.?,? \\d{4}|${monthName}\\.? \\d{4}|${monthName}\\.? ${ordinal})(?![\\p{L}\\p{N}])`,
  "giu",
);
const weekdayPattern = /(?<![\p{L}\p{N}])(?:mon|tues|wednes|thurs|fri|satur|sun)day(?![\p{L}\p{N}])/giu;
/** A year from 1900 to 2099 standing alone; reported only with context ("in", "since", "founded"). */
const yearPattern = /(?<![\p{L}\p{N}.,:/-])(?:19|20)\d{2}(?![\p{L}\p{N}]|[.,:/-]\d)/gu;

const birthContext = new Set(["born", "birth", "birthday", "birthdate", "dob"]);
const dateContext = new Set([
  "date",
  "on",
  "since",
  "until",
  "in",
  "year",
  "founded",
  "established",
  "from",
  "during",
  "day",
  "when",
  "expires",
  "expiry",
  "birth",
  "born",
]);
const yearContext = new Set([
  "in",
  "of",
  "since",
  "until",
  "year",
  "founded",
  "established",
  "during",
  "born",
  "circa",
]);

const datePartSeparator = /[/.-]/u;

function isPlausibleNumericDate(value: string): boolean {
  const parts = value.split(datePartSeparator).map(Number);
  const [first = 0, second = 0] = parts;
  const monthFirst = first >= 1 && first <= 12 && second >= 1 && second <= 31;
  const dayFirst = second >= 1 && second <= 12 && first >= 1 && first <= 31;
  return monthFirst || dayFirst;
}

export function createDateRecognizer(): PiiRecognizer {
  return {
    types: ["DATE_TIME", "DATE_OF_BIRTH"],
    patterns: [
      isoDatePattern,
      numericDatePattern,
      namedMonthDatePattern,
      weekdayPattern,
      yearPattern,
      datePartSeparator,
    ],
    recognize(text: string): PiiCandidate[] {
      const candidates: PiiCandidate[] = [];
      const add = (start: number, end: number, base: number, context: ReadonlySet<string>): void => {
        const birth = hasContextWord(text, start, end, birthContext, { before: 64, after: 0 });
        candidates.push({
          type: birth ? "DATE_OF_BIRTH" : "DATE_TIME",
          start,
          end,
          score: boostedScore(base, birth || hasContextWord(text, start, end, context)),
        });
      };
      for (const match of regexMatches(isoDatePattern, text)) {
        add(match.index, match.index + match[0].length, 0.6, dateContext);
      }
      for (const match of regexMatches(numericDatePattern, text)) {
        if (isPlausibleNumericDate(match[0])) {
          add(match.index, match.index + match[0].length, 0.5, dateContext);
        }
      }
      for (const match of regexMatches(namedMonthDatePattern, text)) {
        add(match.index, match.index + match[0].length, 0.6, dateContext);
      }
      for (const match of regexMatches(weekdayPattern, text)) {
        add(match.index, match.index + match[0].length, 0.5, dateContext);
      }
      for (const match of regexMatches(yearPattern, text)) {
        add(match.index, match.index + match[0].length, 0.25, yearContext);
      }
      return candidates;
    },
  };
}
