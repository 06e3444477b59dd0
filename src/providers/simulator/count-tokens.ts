import { countTextTokens, encodeText, tokenizer } from "../../core/tokenizer.js";
import { isJsonRecord, type JsonRecord } from "./simulator-wire.js";

/** OpenAI's chat framing (openai-cookbook "How to count tokens with tiktoken"). */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_NAME = 1;
const TOKENS_REPLY_PRIMING = 3;
/** A low-detail image costs 85 tokens; the simulator does not look at image sizes. */
const TOKENS_PER_IMAGE = 85;

export interface TokenizedText {
  readonly text: string;
  /**
   * The text of each token, for streaming one delta per token. A token that ends inside a multi-byte
   * character is joined with the next, so every piece is valid text and the pieces concatenate to `text`.
   */
  readonly pieces: readonly string[];
  readonly tokenCount: number;
}

export function tokenizeText(text: string): TokenizedText {
  const tokens = encodeText(text);
  // Safe with gpt-tokenizer's shared streaming decoder only because `tokens` encode a whole string.
  return { text, pieces: [...tokenizer().decodeGenerator(tokens)], tokenCount: tokens.length };
}

function countContentTokens(content: unknown): number {
  if (typeof content === "string") return countTextTokens(content);
  if (!Array.isArray(content)) return 0;
  let total = 0;
  for (const part of content) {
    if (!isJsonRecord(part)) continue;
    if (typeof part.text === "string") total += countTextTokens(part.text);
    else if (typeof part.refusal === "string") total += countTextTokens(part.refusal);
    else if (part.type === "image_url") total += TOKENS_PER_IMAGE;
  }
  return total;
}

function countToolCallTokens(toolCalls: unknown): number {
  if (!Array.isArray(toolCalls)) return 0;
  let total = 0;
  for (const call of toolCalls) {
    if (!isJsonRecord(call) || !isJsonRecord(call.function)) continue;
    const { name, arguments: args } = call.function;
    if (typeof name === "string") total += countTextTokens(name);
    if (typeof args === "string") total += countTextTokens(args);
  }
  return total;
}

/** Prompt tokens as OpenAI bills them: message text plus a fixed framing per message, plus tool definitions. */
export function countPromptTokens(messages: readonly JsonRecord[], tools: readonly unknown[] = []): number {
  let total = TOKENS_REPLY_PRIMING;
  for (const message of messages) {
    total += TOKENS_PER_MESSAGE;
    for (const [key, value] of Object.entries(message)) {
      if (key === "content") total += countContentTokens(value);
      else if (key === "tool_calls") total += countToolCallTokens(value);
      else if (typeof value === "string") {
        total += countTextTokens(value);
        if (key === "name") total += TOKENS_PER_NAME;
      }
    }
  }
  // OpenAI renders tool definitions into a hidden system section; their JSON is a close proxy for its size.
  if (tools.length > 0) total += countTextTokens(JSON.stringify(tools));
  return total;
}
