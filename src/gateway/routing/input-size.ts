import { isImagePart } from "./request-features.js";

/** Counts `text`'s tokens, or answers false as soon as there are more than `limit` (gpt-tokenizer's contract). */
export type CountTokensWithin = (text: string, limit: number) => number | false;

/** OpenAI's chat framing (openai-cookbook "How to count tokens with tiktoken"). */
const tokensPerMessage = 3;
const tokensReplyPriming = 3;
/** A high-detail 512×512 tile costs 170 tokens plus 85 base; an estimate, since sizes are not fetched. */
const tokensPerImage = 765;

/**
 * The input side of a request, for context-window checks. Reading the body is one pass collecting its texts;
 * `upperBound` needs no tokenizer (a BPE token is at least one UTF-8 byte), so the tokenizer runs only when the
 * bound does not already prove that every window fits.
 */
export class InputSize {
  readonly #texts: string[] = [];
  readonly #fixedTokens: number;
  readonly upperBound: number;
  /** Output tokens the request may ask for (`max_completion_tokens`, else `max_tokens`, else 0). */
  readonly outputTokens: number;

  constructor(body: Readonly<Record<string, unknown>>) {
    let fixed = 0;
    const messages = body.messages;
    if (Array.isArray(messages)) {
      fixed += tokensReplyPriming + messages.length * tokensPerMessage;
      for (const message of messages) fixed += this.#collectMessage(message);
    }
    for (const field of ["tools", "functions"] as const) {
      if (Array.isArray(body[field])) this.#texts.push(JSON.stringify(body[field]));
    }
    fixed += this.#collectEmbeddingInput(body.input);
    this.#fixedTokens = fixed;
    let bytes = 0;
    for (const text of this.#texts) bytes += Buffer.byteLength(text, "utf8");
    this.upperBound = fixed + bytes;
    const requested = body.max_completion_tokens ?? body.max_tokens;
    this.outputTokens = typeof requested === "number" && requested > 0 ? requested : 0;
  }

  /** Input tokens if they are at most `limit`, else false; exact only when the upper bound is not enough. */
  tokensWithin(limit: number, count: CountTokensWithin | undefined): number | false {
    if (this.upperBound <= limit) return this.upperBound;
    if (count === undefined) return false;
    const textLimit = limit - this.#fixedTokens;
    if (textLimit < 0) return false;
    const counted = count(this.#texts.join("\n"), textLimit);
    return counted === false ? false : counted + this.#fixedTokens;
  }

  #collectMessage(message: unknown): number {
    if (message === null || typeof message !== "object") return 0;
    const { content, name, tool_calls: toolCalls } = message as Record<string, unknown>;
    let images = 0;
    if (typeof content === "string") this.#texts.push(content);
    else if (Array.isArray(content)) {
      for (const part of content) {
        if (isImagePart(part)) images += 1;
        else if (part !== null && typeof part === "object") {
          const text = (part as { text?: unknown }).text;
          if (typeof text === "string") this.#texts.push(text);
        }
      }
    }
    if (typeof name === "string") this.#texts.push(name);
    if (Array.isArray(toolCalls)) this.#texts.push(JSON.stringify(toolCalls));
    return images * tokensPerImage;
  }

  /** Embedding input: strings are collected; token-id arrays count one token per id. */
  #collectEmbeddingInput(input: unknown): number {
    if (typeof input === "string") {
      this.#texts.push(input);
      return 0;
    }
    if (!Array.isArray(input)) return 0;
    let tokens = 0;
    for (const item of input) {
      if (typeof item === "string") this.#texts.push(item);
      else if (typeof item === "number") tokens += 1;
      else if (Array.isArray(item)) tokens += item.length;
    }
    return tokens;
  }
}
