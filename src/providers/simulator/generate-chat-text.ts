import { countTextTokens, encodeText, tokenizer } from "../../core/tokenizer.js";
import { type TokenizedText, tokenizeText } from "./count-tokens.js";
import { pickOne, type RandomSource, randomInt } from "./seeded-random.js";
import { SIMULATOR_WORDS } from "./simulator-words.js";

export const DEFAULT_MIN_OUTPUT_TOKENS = 20;
export const DEFAULT_MAX_OUTPUT_TOKENS = 60;

export interface ChatTextOptions {
  /**
   * Exact length in tokens the simulated model wants to write (benchmarks set it). When absent it writes
   * whole sentences up to about 20–60 tokens.
   */
  readonly outputTokens?: number | undefined;
  /** `max_completion_tokens` / `max_tokens`: a longer text is cut here and finishes with "length". */
  readonly maxTokens?: number | undefined;
  /** Stop sequences: the text ends before the first one it contains, which is not included. */
  readonly stop?: readonly string[] | undefined;
}

export interface ChatText extends TokenizedText {
  readonly finishReason: "stop" | "length";
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function makeSentence(random: RandomSource): string {
  const length = randomInt(random, 6, 14);
  let sentence = capitalize(pickOne(random, SIMULATOR_WORDS));
  for (let i = 1; i < length; i++) {
    sentence += `${i > 2 && i < length - 2 && random() < 0.08 ? "," : ""} ${pickOne(random, SIMULATOR_WORDS)}`;
  }
  return `${sentence}.`;
}

function firstStopIndex(text: string, stop: readonly string[]): number {
  let first = -1;
  for (const sequence of stop) {
    if (sequence === "") continue;
    const index = text.indexOf(sequence);
    if (index >= 0 && (first < 0 || index < first)) first = index;
  }
  return first;
}

/** The prefix of `text` that is its first `count` tokens. `text` must be ASCII, so no token splits a character. */
function firstTokens(text: string, count: number): string {
  return tokenizer().decode(encodeText(text).slice(0, count));
}

/**
 * Deterministic prose: the same random source and options always give the same text. Stop sequences and the
 * token limit only shorten the text the model would have written, so a stopped text is a prefix of the free one.
 */
export function generateChatText(random: RandomSource, options: ChatTextOptions = {}): ChatText {
  const target =
    options.outputTokens ?? randomInt(random, DEFAULT_MIN_OUTPUT_TOKENS, DEFAULT_MAX_OUTPUT_TOKENS);
  let text = "";
  // Sentences are counted one by one (a leading space starts a new pre-token, so counts add up) to avoid
  // re-tokenising the growing text.
  for (let tokens = 0; tokens < target; ) {
    const sentence = text === "" ? makeSentence(random) : ` ${makeSentence(random)}`;
    tokens += countTextTokens(sentence);
    text += sentence;
  }
  if (options.outputTokens !== undefined) text = firstTokens(text, options.outputTokens);

  let finishReason: ChatText["finishReason"] = "stop";
  if (options.maxTokens !== undefined && countTextTokens(text) > options.maxTokens) {
    text = firstTokens(text, options.maxTokens);
    finishReason = "length";
  }
  const stopAt = firstStopIndex(text, options.stop ?? []);
  if (stopAt >= 0) {
    text = text.slice(0, stopAt);
    finishReason = "stop";
  }
  return { ...tokenizeText(text), finishReason };
}
