import { countTokensWithin, preloadTokenizer } from "../../core/tokenizer.js";
import type { CountTokensWithin } from "./input-size.js";

/**
 * gpt-tokenizer's o200k encoding, loaded now: its tables cost about 20 MB of heap and a few hundred ms, paid at
 * start only by a config where some target declares a context window.
 */
export async function loadTokenCounter(): Promise<CountTokensWithin> {
  preloadTokenizer();
  return countTokensWithin;
}
