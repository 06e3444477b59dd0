import { createRequire } from "node:module";
import type * as GptTokenizer from "gpt-tokenizer";

export type Tokenizer = typeof GptTokenizer;

let loaded: Tokenizer | undefined;

/**
 * gpt-tokenizer (o200k), required on first use instead of imported at module load; every use in `src/` goes
 * through here (a lint rule forbids other imports), so the process holds one copy, loaded only when something
 * counts tokens. Its rank table is a module of some 200,000 string literals: about 20 MB of heap and 0.4 s of
 * start-up that a gateway whose upstreams report usage never needs (ADR 0016).
 *
 * The first call blocks for the load (a few hundred milliseconds); a config that counts tokens on every request
 * (limits, budgets, context windows) calls `preloadTokenizer` at start instead.
 */
export function tokenizer(): Tokenizer {
  loaded ??= createRequire(import.meta.url)("gpt-tokenizer") as Tokenizer;
  return loaded;
}

/** Loads the tokenizer now, where a start-up pause is better than one on a request. */
export function preloadTokenizer(): void {
  tokenizer();
}

/** Whether anything in this process has counted tokens yet (tests of the lazy load use it). */
export function tokenizerLoaded(): boolean {
  return loaded !== undefined;
}

// User text may contain "<|endoftext|>" and the like; count it as plain text instead of throwing.
const plainText = { disallowedSpecial: new Set<string>() };

/** The o200k token ids of `text`, special-token markers counted as plain text. */
export function encodeText(text: string): number[] {
  return tokenizer().encode(text, plainText);
}

/** How many o200k tokens `text` is, special-token markers counted as plain text. */
export function countTextTokens(text: string): number {
  return text === "" ? 0 : encodeText(text).length;
}

/** `text`'s token count, or false as soon as it passes `limit` (without encoding the rest). */
export function countTokensWithin(text: string, limit: number): number | false {
  return tokenizer().isWithinTokenLimit(text, limit, plainText);
}
