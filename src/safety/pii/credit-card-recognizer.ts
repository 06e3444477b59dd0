import { boostedScore, hasContextWord } from "./context-words.js";
import type { PiiCandidate, PiiRecognizer } from "./pii-recognizer.js";
import { regexMatches } from "./regex-matches.js";

/** 12 to 19 digits, optionally grouped by single spaces or hyphens, not inside a longer number. */
const cardPattern = /(?<![\p{N}-])\d(?:[ -]?\d){11,18}(?![\p{N}]|-\d)/gu;

const cardContext = new Set([
  "card",
  "credit",
  "debit",
  "visa",
  "mastercard",
  "amex",
  "discover",
  "payment",
  "pay",
  "cc",
  "expiring",
  "expires",
]);

/** Issuer prefixes of the major networks (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro). */
const issuerPrefixes = ["4", "5", "2", "34", "37", "6", "35", "30", "36", "38", "39", "62", "1800", "2131"];

/** The Luhn (mod 10) checksum every payment card number carries. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let doubled = false;
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    let value = digits.charCodeAt(index) - 48;
    if (doubled) {
      value *= 2;
      if (value > 9) {
        value -= 9;
      }
    }
    sum += value;
    doubled = !doubled;
  }
  return sum % 10 === 0;
}

function digitsOf(value: string): string {
  let digits = "";
  for (const character of value) {
    if (character >= "0" && character <= "9") {
      digits += character;
    }
  }
  return digits;
}

function isOneRepeatedDigit(digits: string): boolean {
  return [...digits].every((digit) => digit === digits[0]);
}

export function createCreditCardRecognizer(): PiiRecognizer {
  return {
    types: ["CREDIT_CARD"],
    patterns: [cardPattern],
    recognize(text: string): PiiCandidate[] {
      const candidates: PiiCandidate[] = [];
      for (const match of regexMatches(cardPattern, text)) {
        const digits = digitsOf(match[0]);
        if (!passesLuhn(digits) || isOneRepeatedDigit(digits)) {
          continue;
        }
        const knownIssuer = issuerPrefixes.some((prefix) => digits.startsWith(prefix));
        const base = knownIssuer && digits.length >= 13 ? 0.7 : 0.45;
        const start = match.index;
        const end = start + match[0].length;
        candidates.push({
          type: "CREDIT_CARD",
          start,
          end,
          score: boostedScore(base, hasContextWord(text, start, end, cardContext)),
        });
      }
      return candidates;
    },
  };
}
