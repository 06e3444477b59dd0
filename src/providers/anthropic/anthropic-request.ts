import type {
  CanonicalAssistantPart,
  CanonicalChatRequest,
  CanonicalImagePart,
  CanonicalMessage,
  CanonicalTextPart,
  CanonicalTool,
  CanonicalToolChoice,
  CanonicalUserPart,
} from "../../core/canonical-chat.js";
import { GatewayError } from "../../core/gateway-error.js";
import { isRecord, optionalNumber, optionalString, records } from "../../core/json-value.js";

/** Anthropic requires `max_tokens`; OpenAI callers often leave it out. */
export const defaultAnthropicMaxTokens = 4096;

/** Request fields read by `readAnthropicRequest`; any other field is reported as dropped. */
const knownFields = new Set([
  "model",
  "messages",
  "max_tokens",
  "system",
  "stream",
  "temperature",
  "top_p",
  "top_k",
  "stop_sequences",
  "tools",
  "tool_choice",
  "thinking",
  "metadata",
]);

/** Reads an Anthropic Messages request body (https://docs.anthropic.com/en/api/messages). */
export function readAnthropicRequest(
  body: Readonly<Record<string, unknown>>,
  warnings: string[],
): CanonicalChatRequest {
  const system =
    typeof body.system === "string"
      ? [body.system]
      : records(body.system)
          .map((block) => optionalString(block.text))
          .filter((text): text is string => text !== undefined);
  const messages: CanonicalMessage[] = records(body.messages).map((message, index) =>
    message.role === "assistant"
      ? { role: "assistant", content: readAssistantContent(message.content, index, warnings) }
      : { role: "user", content: readUserContent(message.content, index, warnings) },
  );
  const thinking = isRecord(body.thinking) ? body.thinking : undefined;
  const metadata = isRecord(body.metadata) ? body.metadata : undefined;
  const toolChoice = isRecord(body.tool_choice) ? body.tool_choice : undefined;
  for (const field of Object.keys(body)) {
    if (!knownFields.has(field)) warnings.push(`${field} is not translated; dropped`);
  }
  return {
    model: optionalString(body.model) ?? "",
    system,
    messages,
    stream: body.stream === true,
    maxTokens: optionalNumber(body.max_tokens),
    temperature: optionalNumber(body.temperature),
    topP: optionalNumber(body.top_p),
    topK: optionalNumber(body.top_k),
    stopSequences: Array.isArray(body.stop_sequences)
      ? body.stop_sequences.filter((item): item is string => typeof item === "string")
      : [],
    tools: records(body.tools).flatMap((tool): CanonicalTool[] => {
      if (tool.type !== undefined && tool.type !== "custom") {
        warnings.push(`server tool ${String(tool.type)} has no equivalent upstream; dropped`);
        return [];
      }
      return [
        {
          name: optionalString(tool.name) ?? "",
          description: optionalString(tool.description),
          parameters: isRecord(tool.input_schema) ? tool.input_schema : { type: "object" },
          strict: undefined,
        },
      ];
    }),
    toolChoice: readToolChoice(toolChoice),
    parallelToolCalls: toolChoice?.disable_parallel_tool_use === true ? false : undefined,
    responseFormat: undefined,
    reasoning:
      thinking?.type === "enabled"
        ? { budgetTokens: optionalNumber(thinking.budget_tokens), effort: undefined }
        : undefined,
    user: optionalString(metadata?.user_id),
    choiceCount: undefined,
  };
}

function readToolChoice(choice: Record<string, unknown> | undefined): CanonicalToolChoice | undefined {
  switch (choice?.type) {
    case "auto":
      return { type: "auto" };
    case "any":
      return { type: "required" };
    case "none":
      return { type: "none" };
    case "tool":
      return { type: "tool", name: optionalString(choice.name) ?? "" };
    default:
      return undefined;
  }
}

function blocksOf(content: unknown): Record<string, unknown>[] {
  return typeof content === "string" ? [{ type: "text", text: content }] : records(content);
}

function readImage(block: Record<string, unknown>): CanonicalImagePart | undefined {
  const source = isRecord(block.source) ? block.source : undefined;
  if (source?.type === "url" && typeof source.url === "string") {
    return { type: "image", source: { kind: "url", url: source.url } };
  }
  if (source?.type === "base64" && typeof source.data === "string") {
    return {
      type: "image",
      source: {
        kind: "base64",
        mediaType: optionalString(source.media_type) ?? "image/png",
        data: source.data,
      },
    };
  }
  return undefined;
}

function readUserContent(content: unknown, index: number, warnings: string[]): CanonicalUserPart[] {
  const parts: CanonicalUserPart[] = [];
  for (const block of blocksOf(content)) {
    if (block.type === "text" && typeof block.text === "string") {
      parts.push({ type: "text", text: block.text });
    } else if (block.type === "image") {
      const image = readImage(block);
      if (image === undefined) throw unsupported(`messages.${index}: image source type is not supported`);
      parts.push(image);
    } else if (block.type === "tool_result") {
      const inner =
        typeof block.content === "string" ? [{ type: "text", text: block.content }] : block.content;
      parts.push({
        type: "tool-result",
        toolCallId: optionalString(block.tool_use_id) ?? "",
        content: records(inner).flatMap((item): (CanonicalTextPart | CanonicalImagePart)[] => {
          if (item.type === "text" && typeof item.text === "string")
            return [{ type: "text", text: item.text }];
          const image = item.type === "image" ? readImage(item) : undefined;
          return image === undefined ? [] : [image];
        }),
        isError: block.is_error === true,
      });
    } else if (block.type === "document") {
      throw unsupported(`messages.${index}: document blocks cannot be translated for this provider`);
    } else {
      warnings.push(`messages.${index}: ${String(block.type)} block dropped`);
    }
  }
  return parts;
}

function readAssistantContent(content: unknown, index: number, warnings: string[]): CanonicalAssistantPart[] {
  const parts: CanonicalAssistantPart[] = [];
  for (const block of blocksOf(content)) {
    switch (block.type) {
      case "text":
        parts.push({ type: "text", text: optionalString(block.text) ?? "" });
        break;
      case "tool_use":
        parts.push({
          type: "tool-call",
          id: optionalString(block.id) ?? "",
          name: optionalString(block.name) ?? "",
          arguments: JSON.stringify(block.input ?? {}),
        });
        break;
      case "thinking":
        parts.push({
          type: "reasoning",
          text: optionalString(block.thinking) ?? "",
          signature: optionalString(block.signature),
        });
        break;
      case "redacted_thinking":
        parts.push({ type: "redacted-reasoning", data: optionalString(block.data) ?? "" });
        break;
      default:
        warnings.push(`messages.${index}: assistant ${String(block.type)} block dropped`);
    }
  }
  return parts;
}

function unsupported(message: string): GatewayError {
  return new GatewayError("GW_ERR_TRANSLATION_UNSUPPORTED", message);
}

/** Writes an Anthropic Messages request body from the canonical request. */
export function writeAnthropicRequest(
  request: CanonicalChatRequest,
  warnings: string[],
): Record<string, unknown> {
  const body: Record<string, unknown> = { model: request.model };
  if (request.system.length > 0) body.system = request.system.join("\n\n");
  body.messages = mergeRoles(request.messages).map((message) => ({
    role: message.role,
    content: message.content.map((part) => writeBlock(part, warnings)),
  }));
  if (request.maxTokens === undefined) {
    warnings.push(`max_tokens not given; sent ${defaultAnthropicMaxTokens} (Anthropic requires it)`);
  }
  body.max_tokens = request.maxTokens ?? defaultAnthropicMaxTokens;
  if (request.stream) body.stream = true;
  if (request.temperature !== undefined) body.temperature = Math.min(request.temperature, 1);
  if (request.temperature !== undefined && request.temperature > 1) {
    warnings.push(`temperature ${request.temperature} clamped to 1 (Anthropic's maximum)`);
  }
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.topK !== undefined) body.top_k = request.topK;
  if (request.stopSequences.length > 0) body.stop_sequences = request.stopSequences;
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  if (request.choiceCount !== undefined && request.choiceCount > 1) {
    throw unsupported(`n=${request.choiceCount}: Anthropic returns one choice per request`);
  }
  if (request.reasoning?.budgetTokens !== undefined) {
    body.thinking = { type: "enabled", budget_tokens: request.reasoning.budgetTokens };
  } else if (request.reasoning?.effort !== undefined) {
    warnings.push(`reasoning_effort ${request.reasoning.effort} has no Anthropic equivalent; dropped`);
  }
  const tools: Record<string, unknown>[] = request.tools.map((tool) => ({
    name: tool.name,
    ...(tool.description === undefined ? {} : { description: tool.description }),
    input_schema: tool.parameters,
  }));
  if (request.tools.some((tool) => tool.strict === true)) {
    warnings.push("strict tool schemas are not enforced by Anthropic");
  }
  let toolChoice = writeToolChoice(request.toolChoice);
  const format = request.responseFormat;
  if (format?.type === "json-schema") {
    // Anthropic's documented way to get schema-shaped JSON: force a tool whose input is the schema.
    tools.push({
      name: format.name,
      description: "Respond with JSON matching this schema.",
      input_schema: format.schema,
    });
    toolChoice = { type: "tool", name: format.name };
    warnings.push("response_format json_schema emulated by forcing a tool call");
  } else if (format?.type === "json") {
    warnings.push("response_format json_object has no Anthropic equivalent; only the prompt asks for JSON");
  }
  if (tools.length > 0) body.tools = tools;
  if (request.parallelToolCalls === false) {
    toolChoice = { ...(toolChoice ?? { type: "auto" }), disable_parallel_tool_use: true };
  }
  if (toolChoice !== undefined) body.tool_choice = toolChoice;
  return body;
}

function writeToolChoice(choice: CanonicalToolChoice | undefined): Record<string, unknown> | undefined {
  switch (choice?.type) {
    case undefined:
      return undefined;
    case "auto":
      return { type: "auto" };
    case "none":
      return { type: "none" };
    case "required":
      return { type: "any" };
    case "tool":
      return { type: "tool", name: choice.name };
  }
}

/** Anthropic rejects two consecutive messages of the same role; canonical input may have them. */
function mergeRoles(messages: readonly CanonicalMessage[]): CanonicalMessage[] {
  const merged: CanonicalMessage[] = [];
  for (const message of messages) {
    const last = merged.at(-1);
    if (last?.role === "user" && message.role === "user") {
      merged[merged.length - 1] = { role: "user", content: [...last.content, ...message.content] };
    } else if (last?.role === "assistant" && message.role === "assistant") {
      merged[merged.length - 1] = { role: "assistant", content: [...last.content, ...message.content] };
    } else {
      merged.push(message);
    }
  }
  return merged;
}

function writeImage(part: CanonicalImagePart): Record<string, unknown> {
  const source = part.source;
  return {
    type: "image",
    source:
      source.kind === "url"
        ? { type: "url", url: source.url }
        : { type: "base64", media_type: source.mediaType, data: source.data },
  };
}

function writeBlock(
  part: CanonicalUserPart | CanonicalAssistantPart,
  warnings: string[],
): Record<string, unknown> {
  switch (part.type) {
    case "text":
      return { type: "text", text: part.text };
    case "image":
      return writeImage(part);
    case "tool-result":
      return {
        type: "tool_result",
        tool_use_id: part.toolCallId,
        content: part.content.map((item) =>
          item.type === "text" ? { type: "text", text: item.text } : writeImage(item),
        ),
        ...(part.isError ? { is_error: true } : {}),
      };
    case "tool-call":
      return {
        type: "tool_use",
        id: part.id,
        name: part.name,
        input: parseArguments(part.arguments, warnings),
      };
    case "reasoning":
      return { type: "thinking", thinking: part.text, signature: part.signature ?? "" };
    case "redacted-reasoning":
      return { type: "redacted_thinking", data: part.data };
  }
}

function parseArguments(text: string, warnings: string[]): unknown {
  try {
    const parsed: unknown = JSON.parse(text === "" ? "{}" : text);
    if (isRecord(parsed)) return parsed;
  } catch {
    // Reported below.
  }
  warnings.push("a tool call's arguments were not a JSON object; sent as {}");
  return {};
}
