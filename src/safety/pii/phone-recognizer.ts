import { type CountryCode, findNumbers, type NumberFound } from "libphonenumber-js/max";
import { boostedScore, hasContextWord } from "./context-words.js";
import type { PiiCandidate, PiiRecognizer } from "./pii-recognizer.js";

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
  "number",
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

/** Fewer digits than this is a house number, a year or a postcode far more often than a phone number. */
const minimumDigits = 7;

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

export function createPhoneRecognizer(regions: readonly CountryCode[] = defaultPhoneRegions): PiiRecognizer {
  return {
    types: ["PHONE_NUMBER"],
    patterns: [],
    recognize(text: string): PiiCandidate[] {
      const bestBySpan = new Map<string, PiiCandidate>();
      for (const region of regions) {
        for (const found of findNumbersWithLeniency(text, {
          defaultCountry: region,
          leniency: "POSSIBLE",
          v2: true,
        })) {
          const value = text.slice(found.startsAt, found.endsAt);
          if (countDigits(value) < minimumDigits) {
            continue;
          }
          const international = value.startsWith("+");
          const valid = found.number.isValid();
          let base = valid ? (international ? 0.75 : 0.6) : 0.4;
          if (isDigitsOnly(value)) {
            // An unformatted run of digits is as likely an account, card or order number.
            base = Math.min(base, 0.3);
          }
          const score = hasContextWord(text, found.startsAt, found.endsAt, otherIdentifierContext, {
            after: 0,
          })
            ? base / 2
            : boostedScore(base, hasContextWord(text, found.startsAt, found.endsAt, phoneContext));
          const key = `${found.startsAt}:${found.endsAt}`;
          const previous = bestBySpan.get(key);
          if (previous === undefined || previous.score < score) {
            bestBySpan.set(key, { type: "PHONE_NUMBER", start: found.startsAt, end: found.endsAt, score });
          }
        }
      }
      return [...bestBySpan.values()];
    },
  };
}
