import { looksLikePlaceholder } from "./looks-like-placeholder.js";
import type { SecretCandidate, SecretRule } from "./secret-rule.js";
import { matchesOf } from "./secret-rule.js";
import { shannonEntropy } from "./shannon-entropy.js";

/**
 * A credential word in a key name, an assignment (`=`, `:`, `:=`, `=>`, or prose `is:`) and a quoted or bare
 * value (group 1). The value alphabet leaves out brackets, `&`, `?` and `:` so that code expressions, query
 * strings and URNs end early and fall below the minimum length.
 * `auth` must not be `author`.
 */
export const credentialAssignmentPattern =
  /(?:secret|passw(?:or)?d|passwd|\bpwd|token|api[_-]?key|apikey|access[_-]?key|\bauth(?!or)|credential|private[_-]?key)[A-Za-z0-9_.-]{0,30}["'`]?(?:\s{1,3}is)?\s{0,4}(?::=|=>|[:=])\s{0,4}["'`]?([A-Za-z0-9_\-+/=.~!@#$%^*]{12,256})/gi;
/** References to where a secret lives (`process.env.API_KEY`, `settings.db.password`), not secrets. */
export const dottedIdentifierPattern = /^[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)+$/;
export const constantNamePattern = /^[A-Z][A-Z0-9_]*$/;

/**
 * Minimum Shannon entropy, in bits per character, for a value to count as a generated secret. A random
 * 16-character base62 string averages about 3.8, English words and identifiers about 2.5–3.3. Hex
 * digests carry at most 4 bits per character, so they get their own, lower bar and a longer minimum length.
 */
export const genericEntropyThreshold = 3.5;
export const hexEntropyThreshold = 3;
const hexMinimumLength = 20;
/** A value followed by one of these is a function call or an index (`createToken()`, `tokens[0]`). */
const callOrIndexCharacters = "([";
/** Share of a value in lower-case runs of three or more letters above which it reads as words, not noise. */
const wordLikeShare = 0.6;
export const hexValuePattern = /^[0-9a-f]+$/i;

export const genericSecretRule: SecretRule = {
  types: ["GENERIC_SECRET"],
  find(text: string): SecretCandidate[] {
    const candidates: SecretCandidate[] = [];
    for (const match of matchesOf(credentialAssignmentPattern, text)) {
      const raw = match[1] ?? "";
      const value = withoutTrailingPunctuation(raw);
      const score = scoreValue(value);
      if (score === undefined) continue;
      const end = match.index + match[0].length - (raw.length - value.length);
      const following = text.charAt(match.index + match[0].length);
      if (following !== "" && callOrIndexCharacters.includes(following)) continue;
      candidates.push({ type: "GENERIC_SECRET", start: end - value.length, end, score });
    }
    return candidates;
  },
};

/** Scores grow with entropy but stay below every vendor-specific format: context alone is weak evidence. */
export function scoreValue(value: string): number | undefined {
  if (value.length < 12 || !hasLetterAndDigit(value) || looksLikePlaceholder(value)) return undefined;
  if (dottedIdentifierPattern.test(value) || constantNamePattern.test(value) || readsAsWords(value)) {
    return undefined;
  }
  const entropy = shannonEntropy(value);
  const isHex = hexValuePattern.test(value);
  if (
    isHex
      ? value.length < hexMinimumLength || entropy < hexEntropyThreshold
      : entropy < genericEntropyThreshold
  ) {
    return undefined;
  }
  return entropy >= 4.5 ? 0.7 : 0.6;
}

/**
 * `AuthenticationMD5Password`, `createO200KSpecialTokenMap`, `correct-horse-battery-42`: identifiers and
 * passphrases made of words. In a random base62 string fewer than one character in five sits in such a run.
 */
function readsAsWords(value: string): boolean {
  let inWords = 0;
  let run = 0;
  for (let index = 0; index <= value.length; index += 1) {
    const character = value.charAt(index);
    if (character >= "a" && character <= "z") {
      run += 1;
      continue;
    }
    if (run >= 3) inWords += run;
    run = 0;
  }
  return inWords / value.length >= wordLikeShare;
}

/** `token=abc123).` in prose: closing brackets and a full stop end the sentence, not the value. */
function withoutTrailingPunctuation(value: string): string {
  let end = value.length;
  while (end > 0 && ")]}>.".includes(value.charAt(end - 1))) end -= 1;
  return value.slice(0, end);
}

function hasLetterAndDigit(value: string): boolean {
  let letter = false;
  let digit = false;
  for (const character of value) {
    letter ||= (character >= "a" && character <= "z") || (character >= "A" && character <= "Z");
    digit ||= character >= "0" && character <= "9";
  }
  return letter && digit;
}
