import { GatewayError } from "../../core/gateway-error.js";
import type { UpstreamOperation } from "../../core/ports/provider-adapter.js";
import type { GatewayStep } from "../compose-steps.js";

/** The first problem found, as OpenAI would word it: the field (`param`) and what is wrong with it. */
type Problem = readonly [param: string, message: string] | undefined;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function checkModel(body: Record<string, unknown>): Problem {
  if (body.model === undefined) return ["model", "is required"];
  if (typeof body.model !== "string" || body.model === "") {
    return ["model", `must be a non-empty string, got ${describeType(body.model)}`];
  }
  return undefined;
}

// Only what the gateway itself relies on is checked (hand-written: this runs on every request and a schema
// library copies the whole body); everything else passes through for the upstream to judge.
function checkChat(body: Record<string, unknown>): Problem {
  const messages = body.messages;
  if (messages === undefined) return ["messages", "is required"];
  if (!Array.isArray(messages)) return ["messages", `must be an array, got ${describeType(messages)}`];
  if (messages.length === 0) return ["messages", "must contain at least one message"];
  for (let index = 0; index < messages.length; index += 1) {
    const message: unknown = messages[index];
    if (!isRecord(message)) return [`messages.${index}`, `must be an object, got ${describeType(message)}`];
    if (typeof message.role !== "string" || message.role === "") {
      return [
        `messages.${index}.role`,
        message.role === undefined ? "is required" : "must be a non-empty string",
      ];
    }
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== "boolean") {
    return ["stream", `must be a boolean, got ${describeType(body.stream)}`];
  }
  const streamOptions = body.stream_options;
  if (streamOptions !== undefined && streamOptions !== null) {
    if (!isRecord(streamOptions))
      return ["stream_options", `must be an object, got ${describeType(streamOptions)}`];
    const includeUsage = streamOptions.include_usage;
    if (includeUsage !== undefined && includeUsage !== null && typeof includeUsage !== "boolean") {
      return ["stream_options.include_usage", `must be a boolean, got ${describeType(includeUsage)}`];
    }
  }
  return undefined;
}

function checkEmbeddings(body: Record<string, unknown>): Problem {
  const input = body.input;
  if (input === undefined) return ["input", "is required"];
  if (typeof input === "string") return undefined;
  const valid =
    Array.isArray(input) &&
    input.length > 0 &&
    (input.every((item) => typeof item === "string") ||
      input.every((item) => typeof item === "number") ||
      input.every(
        (item) => Array.isArray(item) && item.length > 0 && item.every((token) => typeof token === "number"),
      ));
  return valid
    ? undefined
    : ["input", "must be a string, or a non-empty array of strings or of token arrays"];
}

// Anthropic Messages: the fields the gateway and every translation rely on, worded like Anthropic's own 400s.
function checkMessages(body: Record<string, unknown>, requireMaxTokens: boolean): Problem {
  if (requireMaxTokens) {
    const maxTokens = body.max_tokens;
    if (maxTokens === undefined) return ["max_tokens", "is required"];
    if (typeof maxTokens !== "number" || !Number.isInteger(maxTokens) || maxTokens < 1) {
      return ["max_tokens", "must be a positive integer"];
    }
  }
  const messages = body.messages;
  if (messages === undefined) return ["messages", "is required"];
  if (!Array.isArray(messages)) return ["messages", `must be an array, got ${describeType(messages)}`];
  for (let index = 0; index < messages.length; index += 1) {
    const message: unknown = messages[index];
    if (!isRecord(message)) return [`messages.${index}`, `must be an object, got ${describeType(message)}`];
    if (message.role !== "user" && message.role !== "assistant") {
      return [`messages.${index}.role`, "must be 'user' or 'assistant'"];
    }
    if (typeof message.content !== "string" && !Array.isArray(message.content)) {
      return [`messages.${index}.content`, "must be a string or an array of content blocks"];
    }
  }
  const system = body.system;
  if (system !== undefined && typeof system !== "string" && !Array.isArray(system)) {
    return ["system", "must be a string or an array of text blocks"];
  }
  if (body.stream !== undefined && typeof body.stream !== "boolean") {
    return ["stream", `must be a boolean, got ${describeType(body.stream)}`];
  }
  return undefined;
}

// OpenAI Responses: `input` is a string or a list of items (messages need a role; other items a type).
function checkResponses(body: Record<string, unknown>): Problem {
  const input = body.input;
  if (input !== undefined && typeof input !== "string") {
    if (!Array.isArray(input))
      return ["input", `must be a string or an array of items, got ${describeType(input)}`];
    for (let index = 0; index < input.length; index += 1) {
      const item: unknown = input[index];
      if (!isRecord(item)) return [`input.${index}`, `must be an object, got ${describeType(item)}`];
      if (item.type === undefined && typeof item.role !== "string")
        return [`input.${index}.role`, "is required"];
      if (item.type !== undefined && typeof item.type !== "string") {
        return [`input.${index}.type`, "must be a string"];
      }
    }
  }
  if (
    body.instructions !== undefined &&
    body.instructions !== null &&
    typeof body.instructions !== "string"
  ) {
    return ["instructions", `must be a string, got ${describeType(body.instructions)}`];
  }
  if (body.tools !== undefined && body.tools !== null && !Array.isArray(body.tools)) {
    return ["tools", `must be an array, got ${describeType(body.tools)}`];
  }
  const maxOutput = body.max_output_tokens;
  if (maxOutput !== undefined && maxOutput !== null) {
    if (typeof maxOutput !== "number" || !Number.isInteger(maxOutput) || maxOutput < 1) {
      return ["max_output_tokens", "must be a positive integer"];
    }
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== "boolean") {
    return ["stream", `must be a boolean, got ${describeType(body.stream)}`];
  }
  return undefined;
}

const operationChecks: Record<UpstreamOperation, (body: Record<string, unknown>) => Problem> = {
  "chat.completions": checkChat,
  embeddings: checkEmbeddings,
  messages: (body) => checkMessages(body, true),
  "messages.count_tokens": (body) => checkMessages(body, false),
  responses: checkResponses,
};

export function validateBodyStep(): GatewayStep {
  return (context, next) => {
    const problem = checkModel(context.body) ?? operationChecks[context.operation](context.body);
    if (problem !== undefined) {
      const [param, message] = problem;
      throw new GatewayError("GW_ERR_REQUEST_INVALID_BODY", `Invalid request: '${param}' ${message}.`, {
        param,
      });
    }
    context.modelRequested = context.body.model as string;
    context.stream = context.body.stream === true && context.operation !== "messages.count_tokens";
    return next();
  };
}
