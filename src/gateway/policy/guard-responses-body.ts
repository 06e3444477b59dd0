import { restorePlaceholders } from "../../safety/policy/placeholder-restorer.js";
import { guardToolCall } from "./guard-chat-body.js";
import type { RequestPolicy } from "./request-policy.js";
import { declaredResponsesToolSchemas } from "./tool-call-check.js";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** What the stream already released for an output item's texts and arguments, by output index. */
export interface ReleasedOutput {
  /** Released text of a message's `output_text` part, or undefined when that part was never streamed. */
  text(outputIndex: number, contentIndex: number): string | undefined;
  /** Released arguments of a `function_call` item, or undefined when they were never streamed. */
  arguments(outputIndex: number): string | undefined;
}

const nothingReleased: ReleasedOutput = { text: () => undefined, arguments: () => undefined };

/**
 * Applies output and tool policies to a whole Response object, then restores masked values: `output_text` parts
 * of `message` items (output stage) and `function_call` arguments (allowlist, tool-call policies, argument
 * validation against the request's flat function tools). Throws to block.
 */
export function guardResponsesBody(
  answer: Record<string, unknown>,
  policy: RequestPolicy,
  requestBody: Record<string, unknown>,
): Record<string, unknown> {
  return guardResponseObject(answer, policy, declaredResponsesToolSchemas(requestBody), nothingReleased);
}

/**
 * The Response with its output guarded and restored; parts and calls a stream already released take the released
 * text, so a final `response.completed` says exactly what the deltas said. The `instructions` echo loses the
 * canary and gets the caller's values back.
 */
export function guardResponseObject(
  answer: Record<string, unknown>,
  policy: RequestPolicy,
  schemas: ReadonlyMap<string, unknown>,
  released: ReleasedOutput,
): Record<string, unknown> {
  const guarded: Record<string, unknown> = { ...answer };
  if (typeof answer.instructions === "string") {
    guarded.instructions = clientInstructions(answer.instructions, policy);
  }
  if (Array.isArray(answer.output)) {
    guarded.output = answer.output.map((item: unknown, index) =>
      isRecord(item) ? guardOutputItem(item, index, policy, schemas, released) : item,
    );
  }
  return guarded;
}

/** One output item (as in `response.output_item.done` or a Response's `output`), guarded and restored. */
export function guardOutputItem(
  item: Record<string, unknown>,
  outputIndex: number,
  policy: RequestPolicy,
  schemas: ReadonlyMap<string, unknown>,
  released: ReleasedOutput,
): Record<string, unknown> {
  if (item.type === "message" && Array.isArray(item.content)) {
    const content = item.content.map((part: unknown, contentIndex) => {
      if (!isRecord(part) || part.type !== "output_text" || typeof part.text !== "string") return part;
      const text =
        released.text(outputIndex, contentIndex) ??
        guardOutputText(part.text, policy, outputIndex, contentIndex);
      return { ...part, text };
    });
    return { ...item, content };
  }
  if (item.type === "function_call") {
    const name = typeof item.name === "string" ? item.name : "";
    const written = typeof item.arguments === "string" ? item.arguments : "";
    const restored = released.arguments(outputIndex) ?? guardToolCall(policy, schemas, name, written);
    return { ...item, arguments: restored };
  }
  return item;
}

/** One whole `output_text` part under the output policies, masked values restored. */
export function guardOutputText(
  text: string,
  policy: RequestPolicy,
  outputIndex: number,
  contentIndex: number,
): string {
  const checked = policy.applyToText(text, "output", `output.${outputIndex}.content.${contentIndex}.text`);
  return restorePlaceholders(checked, policy.vault);
}

/** The caller's own instructions from the upstream's echo: without the canary line, masked values restored. */
export function clientInstructions(echoed: string, policy: RequestPolicy): string | null {
  let instructions = echoed;
  const canary = policy.canaryLine;
  if (canary !== undefined && instructions.startsWith(canary)) {
    instructions = instructions.slice(canary.length);
    if (instructions === "") return null;
    if (instructions.startsWith("\n\n")) instructions = instructions.slice(2);
  }
  return restorePlaceholders(instructions, policy.vault);
}
