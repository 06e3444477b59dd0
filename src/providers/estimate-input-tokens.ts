import { encode } from "gpt-tokenizer";
import type { CanonicalChatRequest } from "../core/canonical-chat.js";

const plainText = { disallowedSpecial: new Set<string>() };
/** Per message and per image overheads, as OpenAI's cookbook counts them; an estimate, not the provider's count. */
const tokensPerMessage = 3;
const tokensPerImage = 85;

/** Estimates a request's input tokens with the o200k tokenizer, for providers that offer no count endpoint. */
export function estimateInputTokens(request: CanonicalChatRequest): number {
  let total = 3;
  const count = (text: string) => encode(text, plainText).length;
  for (const text of request.system) total += tokensPerMessage + count(text);
  for (const message of request.messages) {
    total += tokensPerMessage;
    for (const part of message.content) {
      switch (part.type) {
        case "text":
          total += count(part.text);
          break;
        case "image":
          total += tokensPerImage;
          break;
        case "tool-result":
          for (const item of part.content) total += item.type === "text" ? count(item.text) : tokensPerImage;
          break;
        case "tool-call":
          total += count(part.name) + count(part.arguments);
          break;
        case "reasoning":
          total += count(part.text);
          break;
        case "redacted-reasoning":
          break;
      }
    }
  }
  for (const tool of request.tools) {
    total += count(tool.name) + count(tool.description ?? "") + count(JSON.stringify(tool.parameters));
  }
  return total;
}
