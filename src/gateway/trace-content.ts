import type { TraceContentConfig } from "../core/gateway-config.js";
import type { TraceAttributes } from "../core/ports/request-tracer.js";
import type { GatewayContext } from "./gateway-context.js";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Text characters left for one attribute; records whether anything was cut. */
class CharBudget {
  left: number;
  truncated = false;

  constructor(maxChars: number) {
    this.left = maxChars;
  }

  /** The text, cut to what is left; undefined once nothing is left (the part is dropped). */
  take(text: string): string | undefined {
    if (this.left <= 0) {
      this.truncated = true;
      return undefined;
    }
    if (text.length <= this.left) {
      this.left -= text.length;
      return text;
    }
    this.truncated = true;
    const kept = text.slice(0, this.left);
    this.left = 0;
    return kept;
  }
}

type Part = Record<string, unknown>;

/**
 * Whether this request's content may go on its span: opted in, in scope (model group or requested model;
 * team of the virtual key), and an input safety policy that rewrites text (redact or mask, not a dry run)
 * applied to it, so `context.body` is the redacted copy.
 */
export function recordsContent(config: TraceContentConfig, context: GatewayContext): boolean {
  if (context.operation !== "chat.completions") return false;
  const models = config.models;
  if (
    models !== undefined &&
    !models.includes(context.route?.groupName ?? "") &&
    !models.includes(context.modelRequested ?? "")
  ) {
    return false;
  }
  const teams = config.teams;
  if (teams !== undefined) {
    const team = context.caller?.kind === "virtual-key" ? context.caller.key.metadata.team : undefined;
    if (team === undefined || team === null || !teams.includes(team)) return false;
  }
  const input = context.policy?.byStage.input ?? [];
  return input.some((policy) => (policy.action === "redact" || policy.action === "mask") && !policy.dryRun);
}

/**
 * `gen_ai.input.messages` and `gen_ai.output.messages` (GenAI semantic conventions v1.37+, JSON strings) from
 * the redacted request body and the upstream's answer (`choices`, as the model wrote it: masked values stay
 * placeholders). Each attribute keeps at most `maxChars` characters of text; the canary line is left out.
 */
export function traceContentAttributes(
  config: TraceContentConfig,
  context: GatewayContext,
  choices: readonly unknown[] | undefined,
): TraceAttributes {
  const inputBudget = new CharBudget(config.maxChars);
  const input = inputMessages(context.body.messages, context.policy?.canaryLine, inputBudget);
  const outputBudget = new CharBudget(config.maxChars);
  const output = choices === undefined ? undefined : outputMessages(choices, outputBudget);
  return {
    "gen_ai.input.messages": JSON.stringify(input),
    "gen_ai.output.messages": output === undefined ? undefined : JSON.stringify(output),
    "switchyard.content.truncated": inputBudget.truncated || outputBudget.truncated || undefined,
  };
}

function inputMessages(messages: unknown, canaryLine: string | undefined, budget: CharBudget): Part[] {
  if (!Array.isArray(messages)) return [];
  const result: Part[] = [];
  for (const message of messages) {
    if (!isRecord(message) || typeof message.role !== "string") continue;
    if (message.role === "system" && canaryLine !== undefined && message.content === canaryLine) continue;
    const parts: Part[] = [];
    if (message.role === "tool") {
      const response = contentText(message.content, budget);
      if (response !== undefined)
        parts.push({ type: "tool_call_response", id: message.tool_call_id ?? null, response });
    } else {
      textParts(message.content, budget, parts);
      toolCallParts(message.tool_calls, budget, parts);
    }
    if (parts.length > 0 || budget.left > 0) result.push({ role: message.role, parts });
  }
  return result;
}

function outputMessages(choices: readonly unknown[], budget: CharBudget): Part[] {
  const result: Part[] = [];
  for (const choice of choices) {
    if (!isRecord(choice) || !isRecord(choice.message)) continue;
    const parts: Part[] = [];
    textParts(choice.message.content, budget, parts);
    toolCallParts(choice.message.tool_calls, budget, parts);
    result.push({
      role: typeof choice.message.role === "string" ? choice.message.role : "assistant",
      parts,
      finish_reason: typeof choice.finish_reason === "string" ? choice.finish_reason : null,
    });
  }
  return result;
}

/** A string content, or the text parts of a content array; other parts (images, audio) are left out. */
function textParts(content: unknown, budget: CharBudget, parts: Part[]): void {
  if (typeof content === "string") {
    const text = budget.take(content);
    if (text !== undefined) parts.push({ type: "text", content: text });
    return;
  }
  if (!Array.isArray(content)) return;
  for (const part of content) {
    if (!isRecord(part) || part.type !== "text" || typeof part.text !== "string") continue;
    const text = budget.take(part.text);
    if (text !== undefined) parts.push({ type: "text", content: text });
  }
}

function contentText(content: unknown, budget: CharBudget): string | undefined {
  if (typeof content === "string") return budget.take(content);
  const parts: Part[] = [];
  textParts(content, budget, parts);
  return parts.length === 0 ? undefined : parts.map((part) => part.content).join("");
}

function toolCallParts(calls: unknown, budget: CharBudget, parts: Part[]): void {
  if (!Array.isArray(calls)) return;
  for (const call of calls) {
    if (!isRecord(call) || !isRecord(call.function)) continue;
    const written = typeof call.function.arguments === "string" ? call.function.arguments : "";
    const text = budget.take(written);
    if (text === undefined) continue;
    parts.push({
      type: "tool_call",
      id: call.id ?? null,
      name: call.function.name ?? null,
      arguments: text,
    });
  }
}
