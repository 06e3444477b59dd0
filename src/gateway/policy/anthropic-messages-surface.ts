import type { PolicyStage } from "../../core/gateway-config.js";
import { restorePlaceholders } from "../../safety/policy/placeholder-restorer.js";
import { AnthropicStreamGuard } from "./anthropic-stream-guard.js";
import type { ChatSurface, RequestTextVisitor } from "./chat-surface.js";
import { guardToolCall } from "./guard-chat-body.js";
import type { RequestPolicy } from "./request-policy.js";
import { rewriteStrings } from "./structured-text.js";
import { declaredAnthropicToolSchemas } from "./tool-call-check.js";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * Anthropic Messages: `system` (a string or text blocks), message content (a string or blocks: `text`, `document`
 * with a text source, `tool_result` content as the indirect stage, earlier `tool_use.input` string by string);
 * images and other blocks untouched. The canary is a text block in front of `system`. Answers: `content` blocks
 * (`text`, `tool_use`) and the event stream (see `AnthropicStreamGuard`).
 */
export const anthropicMessagesSurface: ChatSurface = {
  rewriteTexts(body, visitor) {
    const rewritten: Record<string, unknown> = { ...body };
    if (typeof body.system === "string") rewritten.system = visitor.text(body.system, "input", "system");
    else if (Array.isArray(body.system))
      rewritten.system = rewriteTextBlocks(body.system, "input", "system", visitor);
    if (Array.isArray(body.messages)) {
      rewritten.messages = body.messages.map((message: unknown, index) =>
        isRecord(message) ? rewriteMessage(message, `messages.${index}`, visitor) : message,
      );
    }
    return rewritten;
  },
  addCanary(body, canaryLine) {
    const canary = { type: "text", text: canaryLine };
    const system = body.system;
    if (Array.isArray(system)) return { ...body, system: [canary, ...system] };
    if (typeof system === "string" && system !== "")
      return { ...body, system: [canary, { type: "text", text: system }] };
    return { ...body, system: [canary] };
  },
  guardBody: guardAnthropicBody,
  createStreamGuard: (policy, requestBody) => new AnthropicStreamGuard(policy, requestBody),
};

function rewriteMessage(
  message: Record<string, unknown>,
  param: string,
  visitor: RequestTextVisitor,
): Record<string, unknown> {
  const content = message.content;
  if (typeof content === "string")
    return { ...message, content: visitor.text(content, "input", `${param}.content`) };
  if (!Array.isArray(content)) return message;
  const blocks = content.map((block: unknown, index) => {
    if (!isRecord(block)) return block;
    const where = `${param}.content.${index}`;
    if (block.type === "tool_result") return rewriteToolResult(block, where, visitor);
    if (block.type === "tool_use" && block.input !== undefined) {
      // Earlier tool calls carry the caller's values back (restored in the answer that produced them).
      return {
        ...block,
        input: rewriteStrings(block.input, (text) => visitor.value(text, "input", `${where}.input`)),
      };
    }
    if (block.type === "document" && isRecord(block.source) && block.source.type === "text") {
      const data = block.source.data;
      if (typeof data !== "string") return block;
      return {
        ...block,
        source: { ...block.source, data: visitor.text(data, "input", `${where}.source.data`) },
      };
    }
    return rewriteTextBlock(block, "input", where, visitor);
  });
  return { ...message, content: blocks };
}

function rewriteToolResult(
  block: Record<string, unknown>,
  param: string,
  visitor: RequestTextVisitor,
): Record<string, unknown> {
  const content = block.content;
  if (typeof content === "string")
    return { ...block, content: visitor.text(content, "indirect", `${param}.content`) };
  if (!Array.isArray(content)) return block;
  return { ...block, content: rewriteTextBlocks(content, "indirect", `${param}.content`, visitor) };
}

function rewriteTextBlocks(
  blocks: readonly unknown[],
  stage: PolicyStage,
  param: string,
  visitor: RequestTextVisitor,
): unknown[] {
  return blocks.map((block, index) =>
    isRecord(block) ? rewriteTextBlock(block, stage, `${param}.${index}`, visitor) : block,
  );
}

function rewriteTextBlock(
  block: Record<string, unknown>,
  stage: PolicyStage,
  param: string,
  visitor: RequestTextVisitor,
): Record<string, unknown> {
  if (block.type !== "text" || typeof block.text !== "string") return block;
  return { ...block, text: visitor.text(block.text, stage, `${param}.text`) };
}

/**
 * Applies output and tool policies to a whole Anthropic message, then restores masked values in text blocks and
 * `tool_use` input. A tool's input (an object) is checked as its JSON text and restored into the object again.
 * Throws to block.
 */
export function guardAnthropicBody(
  answer: Record<string, unknown>,
  policy: RequestPolicy,
  requestBody: Record<string, unknown>,
): Record<string, unknown> {
  if (!Array.isArray(answer.content)) return answer;
  const schemas = declaredAnthropicToolSchemas(requestBody);
  const content = answer.content.map((block: unknown, index) => {
    if (!isRecord(block)) return block;
    if (block.type === "text" && typeof block.text === "string") {
      const checked = policy.applyToText(block.text, "output", `content.${index}.text`);
      return { ...block, text: restorePlaceholders(checked, policy.vault) };
    }
    if (block.type === "tool_use") {
      const name = typeof block.name === "string" ? block.name : "";
      const restored = guardToolCall(policy, schemas, name, JSON.stringify(block.input ?? {}));
      return { ...block, input: JSON.parse(restored) as unknown };
    }
    return block;
  });
  return { ...answer, content };
}
