import type {
  CanonicalAssistantPart,
  CanonicalChatRequest,
  CanonicalImagePart,
  CanonicalMessage,
  CanonicalResponseFormat,
  CanonicalTextPart,
  CanonicalToolChoice,
  CanonicalUserPart,
} from "../../core/canonical-chat.js";
import { GatewayError } from "../../core/gateway-error.js";
import { isRecord, optionalNumber, optionalString, records } from "../../core/json-value.js";

/** Request fields read by `readOpenAiChatRequest`; any other field is reported as dropped. */
const knownFields = new Set([
  "model",
  "messages",
  "stream",
  "stream_options",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "stop",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "response_format",
  "reasoning_effort",
  "user",
  "n",
]);

/** Reads an OpenAI Chat Completions request body into the canonical request. */
export function readOpenAiChatRequest(
  body: Readonly<Record<string, unknown>>,
  warnings: string[],
): CanonicalChatRequest {
  const system: string[] = [];
  const messages: CanonicalMessage[] = [];
  for (const [index, message] of records(body.messages).entries()) {
    switch (message.role) {
      case "system":
      case "developer":
        system.push(textOf(message.content));
        break;
      case "assistant":
        messages.push({ role: "assistant", content: readAssistant(message) });
        break;
      case "tool":
        messages.push({
          role: "user",
          content: [
            {
              type: "tool-result",
              toolCallId: optionalString(message.tool_call_id) ?? "",
              content: [{ type: "text", text: textOf(message.content) }],
              isError: false,
            },
          ],
        });
        break;
      default:
        messages.push({ role: "user", content: readUserParts(message.content, index) });
    }
  }
  for (const field of Object.keys(body)) {
    if (!knownFields.has(field)) warnings.push(`${field} is not translated; dropped`);
  }
  const stop = body.stop;
  return {
    model: optionalString(body.model) ?? "",
    system,
    messages,
    stream: body.stream === true,
    maxTokens: optionalNumber(body.max_completion_tokens) ?? optionalNumber(body.max_tokens),
    temperature: optionalNumber(body.temperature),
    topP: optionalNumber(body.top_p),
    topK: undefined,
    stopSequences:
      typeof stop === "string"
        ? [stop]
        : Array.isArray(stop)
          ? stop.filter((item) => typeof item === "string")
          : [],
    tools: records(body.tools).flatMap((tool) => {
      const fn = isRecord(tool.function) ? tool.function : undefined;
      if (tool.type !== "function" || fn === undefined) {
        warnings.push(`tool of type ${String(tool.type)} dropped`);
        return [];
      }
      return [
        {
          name: optionalString(fn.name) ?? "",
          description: optionalString(fn.description),
          parameters: isRecord(fn.parameters) ? fn.parameters : { type: "object", properties: {} },
          strict: typeof fn.strict === "boolean" ? fn.strict : undefined,
        },
      ];
    }),
    toolChoice: readToolChoice(body.tool_choice),
    parallelToolCalls: typeof body.parallel_tool_calls === "boolean" ? body.parallel_tool_calls : undefined,
    responseFormat: readResponseFormat(body.response_format),
    reasoning:
      typeof body.reasoning_effort === "string"
        ? { budgetTokens: undefined, effort: body.reasoning_effort }
        : undefined,
    user: optionalString(body.user),
    choiceCount: optionalNumber(body.n),
  };
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  return records(content)
    .map((part) => optionalString(part.text) ?? "")
    .join("");
}

function readUserParts(content: unknown, index: number): CanonicalUserPart[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return records(content).map((part): CanonicalTextPart | CanonicalImagePart => {
    if (part.type === "text") return { type: "text", text: optionalString(part.text) ?? "" };
    if (part.type === "image_url") return readImageUrl(part, index);
    throw new GatewayError(
      "GW_ERR_TRANSLATION_UNSUPPORTED",
      `messages.${index}: content part ${String(part.type)} cannot be translated for this provider`,
      { param: `messages.${index}.content` },
    );
  });
}

/** OpenAI carries base64 images as `data:` URLs; Anthropic wants the media type and data apart. */
function readImageUrl(part: Record<string, unknown>, index: number): CanonicalImagePart {
  const imageUrl = isRecord(part.image_url) ? optionalString(part.image_url.url) : undefined;
  if (imageUrl === undefined) {
    throw new GatewayError("GW_ERR_REQUEST_INVALID_BODY", `messages.${index}: image_url.url is required`);
  }
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(imageUrl);
  if (match?.[1] !== undefined && match[2] !== undefined) {
    return { type: "image", source: { kind: "base64", mediaType: match[1], data: match[2] } };
  }
  return { type: "image", source: { kind: "url", url: imageUrl } };
}

function readAssistant(message: Record<string, unknown>): CanonicalAssistantPart[] {
  const parts: CanonicalAssistantPart[] = [];
  const reasoning = optionalString(message.reasoning_content);
  if (reasoning !== undefined && reasoning !== "")
    parts.push({ type: "reasoning", text: reasoning, signature: undefined });
  const text = textOf(message.content);
  if (text !== "") parts.push({ type: "text", text });
  for (const call of records(message.tool_calls)) {
    const fn = isRecord(call.function) ? call.function : {};
    parts.push({
      type: "tool-call",
      id: optionalString(call.id) ?? "",
      name: optionalString(fn.name) ?? "",
      arguments: optionalString(fn.arguments) ?? "{}",
    });
  }
  return parts;
}

function readToolChoice(choice: unknown): CanonicalToolChoice | undefined {
  if (choice === "auto" || choice === "none" || choice === "required") return { type: choice };
  if (isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === "string") {
    return { type: "tool", name: choice.function.name };
  }
  return undefined;
}

function readResponseFormat(format: unknown): CanonicalResponseFormat | undefined {
  if (!isRecord(format)) return undefined;
  if (format.type === "json_object") return { type: "json" };
  if (format.type === "json_schema" && isRecord(format.json_schema)) {
    const spec = format.json_schema;
    return {
      type: "json-schema",
      name: optionalString(spec.name) ?? "response",
      schema: isRecord(spec.schema) ? spec.schema : { type: "object" },
      strict: typeof spec.strict === "boolean" ? spec.strict : undefined,
    };
  }
  return format.type === "text" ? { type: "text" } : undefined;
}

/** Writes an OpenAI Chat Completions request body from the canonical request. */
export function writeOpenAiChatRequest(
  request: CanonicalChatRequest,
  warnings: string[],
): Record<string, unknown> {
  const messages: Record<string, unknown>[] = request.system.map((text) => ({
    role: "system",
    content: text,
  }));
  for (const message of request.messages) {
    if (message.role === "assistant") messages.push(writeAssistant(message.content, warnings));
    else messages.push(...writeUser(message.content, warnings));
  }
  const body: Record<string, unknown> = { model: request.model, messages };
  if (request.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  if (request.maxTokens !== undefined) body.max_completion_tokens = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.topK !== undefined) warnings.push("top_k has no OpenAI equivalent; dropped");
  if (request.stopSequences.length > 4)
    warnings.push("OpenAI accepts at most 4 stop sequences; sent the first 4");
  if (request.stopSequences.length > 0) body.stop = request.stopSequences.slice(0, 4);
  if (request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: "function",
      function: {
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        parameters: tool.parameters,
        ...(tool.strict === undefined ? {} : { strict: tool.strict }),
      },
    }));
  }
  const choice = request.toolChoice;
  if (choice !== undefined) {
    body.tool_choice =
      choice.type === "tool" ? { type: "function", function: { name: choice.name } } : choice.type;
  }
  if (request.parallelToolCalls !== undefined && request.tools.length > 0) {
    body.parallel_tool_calls = request.parallelToolCalls;
  }
  if (request.reasoning?.effort !== undefined) body.reasoning_effort = request.reasoning.effort;
  else if (request.reasoning !== undefined) {
    warnings.push("thinking budget_tokens has no OpenAI Chat equivalent; dropped");
  }
  if (request.user !== undefined) body.user = request.user;
  if (request.choiceCount !== undefined) body.n = request.choiceCount;
  return body;
}

function writeUser(parts: readonly CanonicalUserPart[], warnings: string[]): Record<string, unknown>[] {
  const messages: Record<string, unknown>[] = [];
  let content: Record<string, unknown>[] = [];
  const flush = () => {
    if (content.length === 0) return;
    const only = content[0];
    messages.push({
      role: "user",
      content: content.length === 1 && only?.type === "text" ? only.text : content,
    });
    content = [];
  };
  for (const part of parts) {
    if (part.type === "tool-result") {
      // Tool messages must directly follow the assistant's calls, so pending user text goes after them.
      if (part.isError)
        warnings.push("tool_result is_error has no OpenAI equivalent; sent as a plain tool result");
      if (part.content.some((item) => item.type === "image")) {
        warnings.push(
          "images inside a tool result cannot be sent to an OpenAI-dialect upstream; replaced by [image]",
        );
      }
      messages.push({
        role: "tool",
        tool_call_id: part.toolCallId,
        content: part.content.map((item) => (item.type === "text" ? item.text : "[image]")).join(""),
      });
    } else {
      content.push(part.type === "text" ? { type: "text", text: part.text } : writeImage(part));
    }
  }
  flush();
  return messages;
}

function writeImage(part: CanonicalImagePart): Record<string, unknown> {
  const source = part.source;
  const url = source.kind === "url" ? source.url : `data:${source.mediaType};base64,${source.data}`;
  return { type: "image_url", image_url: { url } };
}

function writeAssistant(
  parts: readonly CanonicalAssistantPart[],
  warnings: string[],
): Record<string, unknown> {
  const text = parts
    .filter((part) => part.type === "text")
    .map((part) => part.text)
    .join("");
  const calls = parts.filter((part) => part.type === "tool-call");
  if (parts.some((part) => part.type === "reasoning" || part.type === "redacted-reasoning")) {
    warnings.push("earlier thinking blocks are not sent to an OpenAI-dialect upstream");
  }
  return {
    role: "assistant",
    content: text === "" && calls.length > 0 ? null : text,
    ...(calls.length === 0
      ? {}
      : {
          tool_calls: calls.map((call) => ({
            id: call.id,
            type: "function",
            function: { name: call.name, arguments: call.arguments },
          })),
        }),
  };
}
