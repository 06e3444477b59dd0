import { countTextTokens, preloadTokenizer } from "../../core/tokenizer.js";

/** Counts the tokens of one text. */
export type TokenCounter = (text: string) => number;

/**
 * The o200k tokenizer, loaded now: a gateway with limit rules counts tokens on every request, so it pays the
 * load at start rather than on its first request; a gateway without rules never loads it.
 */
export async function loadTokenCounter(): Promise<TokenCounter> {
  preloadTokenizer();
  return countTextTokens;
}
