import { looksLikePlaceholder } from "./looks-like-placeholder.js";
import type { SecretCandidate, SecretRule } from "./secret-rule.js";
import { matchesOf } from "./secret-rule.js";
import { shannonEntropy } from "./shannon-entropy.js";

/** Random parts shorter than this many bits per character are repeated filler (`ghp_aaaa…`), not keys. */
export const minimumTokenBodyEntropy = 3;

export interface PrefixedTokenFormat {
  readonly type: string;
  /** A global RegExp whose whole match is the token; group 1, when present, is its random part. */
  readonly pattern: RegExp;
  readonly score: number;
  /**
   * A structural check (a checksum) that a body only passes when it was generated as a real token; such a
   * body is reported even if it happens to contain a placeholder word.
   */
  readonly verify?: (body: string) => boolean;
  /** Rescores a token from its content, e.g. a checksum that holds or fails; returns the score to report. */
  readonly rescore?: (token: string, body: string) => number;
}

/** A rule for formats recognised by a vendor prefix: the prefix makes them certain, not the context. */
export function prefixedTokenRule(formats: readonly PrefixedTokenFormat[]): SecretRule {
  return {
    types: [...new Set(formats.map((format) => format.type))],
    find(text: string): SecretCandidate[] {
      const candidates: SecretCandidate[] = [];
      for (const format of formats) {
        for (const match of matchesOf(format.pattern, text)) {
          const token = match[0];
          const body = match[1] ?? token;
          const verified = format.verify?.(body) ?? false;
          if (!verified && (looksLikePlaceholder(body) || shannonEntropy(body) < minimumTokenBodyEntropy))
            continue;
          const score = format.rescore?.(token, body) ?? format.score;
          candidates.push({ type: format.type, start: match.index, end: match.index + token.length, score });
        }
      }
      return candidates;
    },
  };
}
