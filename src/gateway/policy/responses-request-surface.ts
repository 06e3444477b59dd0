import type { PolicyStage } from "../../core/gateway-config.js";
import type { ChatRequestSurface, RequestTextVisitor } from "./chat-surface.js";
import { rewriteJsonStrings } from "./structured-text.js";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Content part types that carry text the model reads (earlier answers come back as `output_text`). */
const textPartTypes: ReadonlySet<unknown> = new Set(["input_text", "output_text"]);
/** Items whose `output` is what a tool returned: the indirect stage. */
const toolOutputTypes: ReadonlySet<unknown> = new Set(["function_call_output", "custom_tool_call_output"]);

/**
 * The request side of OpenAI Responses bodies: `instructions`, `input` as a string or items (messages, typed or
 * not, with `input_text`/`output_text` parts; `function_call_output` and `custom_tool_call_output` output as
 * the indirect stage, a string or `input_text` parts; earlier `function_call.arguments` string by string inside
 * the JSON). Images, files, reasoning and other items are untouched. The canary goes in front of
 * `instructions`. The answer side is in `responses-surface.ts`.
 */
export const responsesRequestSurface: ChatRequestSurface = {
  rewriteTexts(body, visitor) {
    const rewritten: Record<string, unknown> = { ...body };
    if (typeof body.instructions === "string") {
      rewritten.instructions = visitor.text(body.instructions, "input", "instructions");
    }
    if (typeof body.input === "string") rewritten.input = visitor.text(body.input, "input", "input");
    else if (Array.isArray(body.input)) {
      rewritten.input = body.input.map((item: unknown, index) =>
        isRecord(item) ? rewriteItem(item, `input.${index}`, visitor) : item,
      );
    }
    return rewritten;
  },
  addCanary(body, canaryLine) {
    const instructions = body.instructions;
    const withCanary =
      typeof instructions === "string" && instructions !== ""
        ? `${canaryLine}\n\n${instructions}`
        : canaryLine;
    return { ...body, instructions: withCanary };
  },
};

function rewriteItem(
  item: Record<string, unknown>,
  param: string,
  visitor: RequestTextVisitor,
): Record<string, unknown> {
  if (toolOutputTypes.has(item.type)) {
    return { ...item, output: rewriteContent(item.output, "indirect", `${param}.output`, visitor) };
  }
  if (item.type === "function_call" && typeof item.arguments === "string") {
    // Earlier tool calls carry the caller's values back (restored in the answer that produced them).
    const visit = (text: string) => visitor.value(text, "input", `${param}.arguments`);
    return { ...item, arguments: rewriteJsonStrings(item.arguments, visit) };
  }
  if ((item.type === undefined || item.type === "message") && typeof item.role === "string") {
    return { ...item, content: rewriteContent(item.content, "input", `${param}.content`, visitor) };
  }
  return item;
}

function rewriteContent(
  content: unknown,
  stage: PolicyStage,
  param: string,
  visitor: RequestTextVisitor,
): unknown {
  if (typeof content === "string") return visitor.text(content, stage, param);
  if (!Array.isArray(content)) return content;
  return content.map((part: unknown, index) =>
    isRecord(part) && textPartTypes.has(part.type) && typeof part.text === "string"
      ? { ...part, text: visitor.text(part.text, stage, `${param}.${index}.text`) }
      : part,
  );
}
