import type { PiiCandidate, PiiRecognizer } from "./pii-recognizer.js";
import { regexMatches } from "./regex-matches.js";

/** "54 years old", "62-year-old", "36 year old", "26 y/o", "84 yrs". */
const ageBeforeUnitPattern =
  /(?<![\p{N}.,])\d{1,3}(?=[ -]?(?:years?|yrs?)[ -]old(?![\p{L}])|[ -]?y\/o(?![\p{L}])|-years?-old(?![\p{L}]))/giu;
/** "age of 54", "aged 36", "age: 40", "turned 58", "turning 30". */
const ageAfterCuePattern =
  /(?<![\p{L}])(?:age of|aged|age:?|turned|turning|turns|turn) (\d{1,3})(?![\p{N}.,]\d|\p{N})/giu;

function isPlausibleAge(value: string): boolean {
  const age = Number(value);
  return age > 0 && age < 125;
}

export function createAgeRecognizer(): PiiRecognizer {
  return {
    types: ["AGE"],
    patterns: [ageBeforeUnitPattern, ageAfterCuePattern],
    recognize(text: string): PiiCandidate[] {
      const candidates: PiiCandidate[] = [];
      for (const match of regexMatches(ageBeforeUnitPattern, text)) {
        if (isPlausibleAge(match[0])) {
          candidates.push({
            type: "AGE",
            start: match.index,
            end: match.index + match[0].length,
            score: 0.8,
          });
        }
      }
      for (const match of regexMatches(ageAfterCuePattern, text)) {
        const age = match[1] ?? "";
        if (isPlausibleAge(age)) {
          const end = match.index + match[0].length;
          candidates.push({ type: "AGE", start: end - age.length, end, score: 0.7 });
        }
      }
      return candidates;
    },
  };
}
