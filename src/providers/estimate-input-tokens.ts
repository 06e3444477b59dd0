import type { CanonicalAssistantPart, CanonicalChatRequest, CanonicalUsage } from "../core/canonical-chat.js";
import { countTextTokens } from "../core/tokenizer.js";

/** Per message and per image overheads, as OpenAI's cookbook counts them; an estimate, not the provider's count. */
const tokensPerMessage = 3;
const tokensPerImage = 85;

/** Estimates a request's input tokens with the o200k tokenizer, for providers that offer no count endpoint. */
export function estimateInputTokens(request: CanonicalChatRequest): number {
  let total = 3;
  for (const text of request.system) total += tokensPerMessage + countTextTokens(text);
  for (const message of request.messages) {
    total += tokensPerMessage;
    for (const part of message.content) {
      switch (part.type) {
        case "text":
          total += countTextTokens(part.text);
          break;
        case "image":
          total += tokensPerImage;
          break;
        case "tool-result":
          for (const item of part.content)
            total += item.type === "text" ? countTextTokens(item.text) : tokensPerImage;
          break;
        case "tool-call":
          total += countTextTokens(part.name) + countTextTokens(part.arguments);
          break;
        case "reasoning":
          total += countTextTokens(part.text);
          break;
        case "redacted-reasoning":
          break;
      }
    }
  }
  for (const tool of request.tools) {
    total +=
      countTextTokens(tool.name) +
      countTextTokens(tool.description ?? "") +
      countTextTokens(JSON.stringify(tool.parameters));
  }
  return total;
}

/** Estimates the tokens of an answer's text, reasoning and tool calls with the same tokenizer. */
export function estimateOutputTokens(text: string): number {
  return countTextTokens(text);
}

export function answerText(parts: readonly CanonicalAssistantPart[]): string {
  let text = "";
  for (const part of parts) {
    if (part.type === "text" || part.type === "reasoning") text += part.text;
    else if (part.type === "tool-call") text += part.name + part.arguments;
  }
  return text;
}

/**
 * Usage for an answer whose provider sent none (some OpenAI-compatible servers): estimated, never zero. The
 * caller reports it as a warning so the estimate is marked as such.
 */
export function estimatedUsage(request: CanonicalChatRequest, outputText: string): CanonicalUsage {
  return {
    inputTokens: estimateInputTokens(request),
    outputTokens: estimateOutputTokens(outputText),
    cacheReadTokens: null,
    cacheWriteTokens: null,
    reasoningTokens: null,
  };
}
