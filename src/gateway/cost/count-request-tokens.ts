import type { UpstreamOperation } from "../../core/ports/provider-adapter.js";

/** Tokens every chat message costs besides its content (role and separators), as OpenAI counts them. */
const perMessageTokens = 3;
const replyPrimingTokens = 3;

/** Counts the tokens of one text (`core/tokenizer`, injected by the composition root). */
export type CountTokens = (text: string) => number;

/**
 * Counts a request's prompt tokens with the o200k tokenizer: message texts (string contents and text parts),
 * tool definitions as JSON, or embedding inputs. An estimate for other vendors' tokenizers.
 */
export function countRequestTokens(
  countTokens: CountTokens,
  operation: UpstreamOperation,
  body: Record<string, unknown>,
): number {
  if (operation === "embeddings") return countEmbeddingInput(countTokens, body.input);
  let total = replyPrimingTokens;
  const messages = Array.isArray(body.messages) ? body.messages : [];
  for (const message of messages) {
    total += perMessageTokens;
    if (message === null || typeof message !== "object") continue;
    const content = (message as Record<string, unknown>).content;
    if (typeof content === "string") total += countTokens(content);
    else if (Array.isArray(content)) {
      for (const part of content) {
        const text = (part as Record<string, unknown> | null)?.text;
        if (typeof text === "string") total += countTokens(text);
      }
    }
    const toolCalls = (message as Record<string, unknown>).tool_calls;
    if (toolCalls !== undefined) total += countTokens(JSON.stringify(toolCalls));
  }
  if (Array.isArray(body.tools)) total += countTokens(JSON.stringify(body.tools));
  return total;
}

function countEmbeddingInput(countTokens: CountTokens, input: unknown): number {
  if (typeof input === "string") return countTokens(input);
  if (!Array.isArray(input)) return 0;
  let total = 0;
  for (const item of input) {
    if (typeof item === "string") total += countTokens(item);
    else if (typeof item === "number") total += 1;
    else if (Array.isArray(item)) total += item.length;
  }
  return total;
}

/** Counts generated text (an estimate when the provider reported no usage). */
export function countTextTokens(countTokens: CountTokens, pieces: readonly string[]): number {
  return pieces.length === 0 ? 0 : countTokens(pieces.join(""));
}
