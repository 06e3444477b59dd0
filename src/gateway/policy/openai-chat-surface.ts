import type { PolicyStage } from "../../core/gateway-config.js";
import type { ChatSurface, RequestTextVisitor } from "./chat-surface.js";
import { guardChatBody } from "./guard-chat-body.js";
import { OpenAiStreamGuard } from "./openai-stream-guard.js";
import { rewriteJsonStrings } from "./structured-text.js";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * OpenAI Chat Completions: message content (strings and text parts; `tool` and `function` messages are the
 * indirect stage) and earlier tool-call arguments (each string inside the JSON); the canary is a system message
 * of its own in front. Answers: `choices[].message` and the chunk stream.
 */
export const openAiChatSurface: ChatSurface = {
  rewriteTexts(body, visitor) {
    if (!Array.isArray(body.messages)) return { ...body };
    const messages = body.messages.map((message: unknown, index) =>
      isRecord(message) ? rewriteMessage(message, `messages.${index}`, visitor) : message,
    );
    return { ...body, messages };
  },
  addCanary(body, canaryLine) {
    if (!Array.isArray(body.messages)) return { ...body };
    return { ...body, messages: [{ role: "system", content: canaryLine }, ...body.messages] };
  },
  guardBody: guardChatBody,
  createStreamGuard: (policy, requestBody) => new OpenAiStreamGuard(policy, requestBody),
};

function rewriteMessage(
  message: Record<string, unknown>,
  param: string,
  visitor: RequestTextVisitor,
): Record<string, unknown> {
  const stage: PolicyStage = message.role === "tool" || message.role === "function" ? "indirect" : "input";
  const rewritten: Record<string, unknown> = {
    ...message,
    content: rewriteContent(message.content, stage, `${param}.content`, visitor),
  };
  // Earlier tool calls carry the caller's values back (restored in the answer that produced them).
  if (Array.isArray(message.tool_calls)) {
    rewritten.tool_calls = message.tool_calls.map((call: unknown, callIndex) => {
      if (!isRecord(call) || !isRecord(call.function) || typeof call.function.arguments !== "string")
        return call;
      const where = `${param}.tool_calls.${callIndex}.function.arguments`;
      const visit = (text: string) => visitor.value(text, stage, where);
      return {
        ...call,
        function: { ...call.function, arguments: rewriteJsonStrings(call.function.arguments, visit) },
      };
    });
  }
  return rewritten;
}

function rewriteContent(
  content: unknown,
  stage: PolicyStage,
  param: string,
  visitor: RequestTextVisitor,
): unknown {
  if (typeof content === "string") return visitor.text(content, stage, param);
  if (!Array.isArray(content)) return content;
  return content.map((part: unknown, partIndex) =>
    isRecord(part) && part.type === "text" && typeof part.text === "string"
      ? { ...part, text: visitor.text(part.text, stage, `${param}.${partIndex}.text`) }
      : part,
  );
}
