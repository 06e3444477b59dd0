import type { UpstreamOperation } from "../../core/ports/provider-adapter.js";
import type { TokenCounter } from "./load-token-counter.js";

/** OpenAI's chat framing (openai-cookbook "How to count tokens with tiktoken"). */
const tokensPerMessage = 3;
const tokensReplyPriming = 3;
/** A low-detail image; a high-detail one costs more, which the reconciliation corrects afterwards. */
const tokensPerImage = 85;

export interface TokenEstimate {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/**
 * What a request may cost at most, as far as the gateway can tell before the call: its input counted with a
 * real tokenizer (`countText`, o200k) and the output it allows (`max_completion_tokens`, `max_tokens`, else the default),
 * times `n`. Embeddings have no output.
 */
export function estimateRequestTokens(
  operation: UpstreamOperation,
  body: Readonly<Record<string, unknown>>,
  defaultMaxOutputTokens: number,
  countText: TokenCounter,
): TokenEstimate {
  if (operation === "embeddings") {
    return { inputTokens: countEmbeddingInput(body.input, countText), outputTokens: 0 };
  }
  let inputTokens = tokensReplyPriming;
  if (Array.isArray(body.messages)) {
    for (const message of body.messages) inputTokens += tokensPerMessage + countMessage(message, countText);
  }
  if (Array.isArray(body.tools)) inputTokens += countText(JSON.stringify(body.tools));
  const maxOutput =
    positiveInteger(body.max_completion_tokens) ?? positiveInteger(body.max_tokens) ?? defaultMaxOutputTokens;
  const choices = positiveInteger(body.n) ?? 1;
  return { inputTokens, outputTokens: maxOutput * choices };
}

function countMessage(message: unknown, countText: TokenCounter): number {
  if (message === null || typeof message !== "object") return 0;
  const record = message as Record<string, unknown>;
  let tokens = countContent(record.content, countText);
  if (typeof record.name === "string") tokens += countText(record.name) + 1;
  if (record.tool_calls !== undefined) tokens += countText(JSON.stringify(record.tool_calls));
  return tokens;
}

function countContent(content: unknown, countText: TokenCounter): number {
  if (typeof content === "string") return countText(content);
  if (!Array.isArray(content)) return 0;
  let tokens = 0;
  for (const part of content) {
    if (part === null || typeof part !== "object") continue;
    const record = part as Record<string, unknown>;
    if (typeof record.text === "string") tokens += countText(record.text);
    else if (record.type === "image_url") tokens += tokensPerImage;
  }
  return tokens;
}

function countEmbeddingInput(input: unknown, countText: TokenCounter): number {
  if (typeof input === "string") return countText(input);
  if (!Array.isArray(input)) return 0;
  let tokens = 0;
  for (const item of input) {
    if (typeof item === "string") tokens += countText(item);
    else if (typeof item === "number") tokens += 1;
    else if (Array.isArray(item)) tokens += item.length;
  }
  return tokens;
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;
}
