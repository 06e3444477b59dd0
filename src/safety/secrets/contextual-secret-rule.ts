import { looksLikePlaceholder } from "./looks-like-placeholder.js";
import type { SecretCandidate, SecretRule } from "./secret-rule.js";
import { matchesOf } from "./secret-rule.js";

export interface ContextualSecretFormat {
  readonly type: string;
  /** A global RegExp whose whole match is the candidate value. */
  readonly pattern: RegExp;
  /**
   * The score for this value given where it stands, or undefined when the context does not make it a secret
   * (the value alone is too common a shape: 40 base64 characters, 32 hex digits, …).
   */
  readonly score: (value: string, text: string, start: number, end: number) => number | undefined;
}

/** A rule for shapes that are secrets only next to a credential word or a companion identifier. */
export function contextualSecretRule(formats: readonly ContextualSecretFormat[]): SecretRule {
  return {
    types: [...new Set(formats.map((format) => format.type))],
    find(text: string): SecretCandidate[] {
      const candidates: SecretCandidate[] = [];
      for (const format of formats) {
        for (const match of matchesOf(format.pattern, text)) {
          const value = match[0];
          if (looksLikePlaceholder(value)) continue;
          const end = match.index + value.length;
          const score = format.score(value, text, match.index, end);
          if (score !== undefined) candidates.push({ type: format.type, start: match.index, end, score });
        }
      }
      return candidates;
    },
  };
}
