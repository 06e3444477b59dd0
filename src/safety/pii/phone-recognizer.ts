import { type CountryCode, findNumbers, type NumberFound } from "libphonenumber-js/max";
import { boostedScore, hasContextWord } from "./context-words.js";
import type { PiiCandidate, PiiRecognizer } from "./pii-recognizer.js";
import { regexMatches } from "./regex-matches.js";

/**
 * National numbers are read as numbers of each of these regions in turn; a number written with "+" and a
 * country code is found whatever the list. The default covers the largest English- and European-language
 * numbering plans; callers serving other regions pass their own.
 */
export const defaultPhoneRegions: readonly CountryCode[] = ["US", "GB", "DE", "FR", "AU", "IN", "BR"];

const phoneContext = new Set([
  "phone",
  "telephone",
  "tel",
  "mobile",
  "cell",
  "call",
  "fax",
  "desk",
  "contact",
  "reach",
  "text",
  "whatsapp",
]);

/** Words that say a number is some other identifier, whatever its shape. */
const otherIdentifierContext = new Set([
  "ssn",
  "social",
  "security",
  "license",
  "licence",
  "card",
  "account",
  "iban",
  "passport",
  "zip",
  "postcode",
]);

/**
 * The matcher (a port of Google's libphonenumber) takes Google's `leniency` option, but the package's type
 * declarations leave it out. POSSIBLE accepts numbers of a possible length for the region, which finds the
 * many national formats VALID rejects; the scores below separate valid from merely possible numbers.
 */
type FindNumbersWithLeniency = (
  text: string,
  options: { defaultCountry: CountryCode; leniency: "POSSIBLE" | "VALID"; v2: true },
) => NumberFound[];
const findNumbersWithLeniency = findNumbers as unknown as FindNumbersWithLeniency;

/**
 * Phone-shaped stretches: an optional "+" or "(", then up to nine groups of digits joined by one to three
 * of space, dot, hyphen, slash or parenthesis, with an optional extension. Separators are never digits, so
 * each stretch has one reading and the scan is linear. libphonenumber reads only these stretches: run over a
 * whole text its matcher takes quadratic time on long runs of digits and separators.
 */
const phoneCandidatePattern =
  /(?<![\p{L}\p{N}+()./-])(?:\+|\()?\d{1,15}(?:[ ()./-]{1,3}\d{1,15}){0,8}(?: ?(?:x|ext\.?|#) ?\d{1,6})?/giu;

/** Fewer digits than this is a house number, a year or a postcode far more often than a phone number. */
const minimumDigits = 7;

/**
 * E.164 numbers have at most 15 digits; with a trunk prefix and a short extension a written number stays
 * under this. Longer stretches are tables of numbers, not one phone number, and are slow to take apart.
 */
const maximumDigits = 20;

/**
 * Written phone numbers have at most seven digit groups and seldom more than two groups of one digit
 * ("+1", "(0)"); a stretch like "1 2 3 4 5 6 7" is a list, and not worth libphonenumber's time.
 */
function hasPhoneGrouping(stretch: string): boolean {
  let groups = 0;
  let singleDigitGroups = 0;
  let current = 0;
  for (const character of `${stretch} `) {
    if (character >= "0" && character <= "9") {
      current += 1;
    } else if (current > 0) {
      groups += 1;
      singleDigitGroups += current === 1 ? 1 : 0;
      current = 0;
    }
  }
  return groups <= 7 && singleDigitGroups <= 2;
}

function countDigits(value: string): number {
  let digits = 0;
  for (const character of value) {
    if (character >= "0" && character <= "9") {
      digits += 1;
    }
  }
  return digits;
}

function isDigitsOnly(value: string): boolean {
  return countDigits(value) === value.length;
}

interface PhoneMatch {
  readonly start: number;
  readonly end: number;
  readonly valid: boolean;
}

/** The numbers libphonenumber finds in one stretch, read as a number of each region, in text offsets. */
function* findInStretch(
  stretch: string,
  offset: number,
  regions: readonly CountryCode[],
): Generator<PhoneMatch> {
  for (const region of regions) {
    let coveredByValidNumber = false;
    for (const found of findNumbersWithLeniency(stretch, {
      defaultCountry: region,
      leniency: "POSSIBLE",
      v2: true,
    })) {
      const valid = found.number.isValid();
      coveredByValidNumber ||= valid && found.startsAt === 0 && found.endsAt === stretch.length;
      yield { start: offset + found.startsAt, end: offset + found.endsAt, valid };
    }
    if (coveredByValidNumber) {
      // The best reading of the stretch is found; other regions cannot score it higher.
      return;
    }
  }
}

export function createPhoneRecognizer(regions: readonly CountryCode[] = defaultPhoneRegions): PiiRecognizer {
  return {
    types: ["PHONE_NUMBER"],
    patterns: [phoneCandidatePattern],
    recognize(text: string): PiiCandidate[] {
      const bestBySpan = new Map<string, PiiCandidate>();
      for (const stretch of regexMatches(phoneCandidatePattern, text)) {
        const digits = countDigits(stretch[0]);
        if (digits < minimumDigits || digits > maximumDigits || !hasPhoneGrouping(stretch[0])) {
          continue;
        }
        for (const found of findInStretch(stretch[0], stretch.index, regions)) {
          const value = text.slice(found.start, found.end);
          if (countDigits(value) < minimumDigits) {
            continue;
          }
          let base = found.valid ? (value.startsWith("+") ? 0.75 : 0.6) : 0.4;
          if (isDigitsOnly(value)) {
            // An unformatted run of digits is as likely an account, card or order number.
            base = Math.min(base, 0.3);
          }
          const phoneContextNear = hasContextWord(text, found.start, found.end, phoneContext);
          const otherContextNear = hasContextWord(text, found.start, found.end, otherIdentifierContext, {
            after: 0,
          });
          const score = phoneContextNear ? boostedScore(base, true) : otherContextNear ? base / 2 : base;
          const key = `${found.start}:${found.end}`;
          const previous = bestBySpan.get(key);
          if (previous === undefined || previous.score < score) {
            bestBySpan.set(key, { type: "PHONE_NUMBER", start: found.start, end: found.end, score });
          }
        }
      }
      return [...bestBySpan.values()];
    },
  };
}
