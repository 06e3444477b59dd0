import type {
  CanonicalAssistantPart,
  CanonicalChatRequest,
  CanonicalImagePart,
  CanonicalMessage,
  CanonicalResponseFormat,
  CanonicalTextPart,
  CanonicalTool,
  CanonicalToolChoice,
  CanonicalUserPart,
} from "../../core/canonical-chat.js";
import { GatewayError } from "../../core/gateway-error.js";
import { isRecord, optionalNumber, optionalString, records } from "../../core/json-value.js";

/** Request fields read (or deliberately ignored) by `readResponsesRequest`; any other field is reported as dropped. */
const knownFields = new Set([
  "model",
  "input",
  "instructions",
  "stream",
  "stream_options",
  "max_output_tokens",
  "temperature",
  "top_p",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "text",
  "reasoning",
  "user",
  "safety_identifier",
  "store",
  "previous_response_id",
  "conversation",
  "prompt",
  "background",
]);

/**
 * Reads an OpenAI Responses request (https://platform.openai.com/docs/api-reference/responses/create) for an
 * upstream that does not speak Responses. Server-side state (`previous_response_id`, `conversation`, stored
 * prompts, background runs) and OpenAI's built-in tools cannot be honoured elsewhere: those throw
 * GW_ERR_TRANSLATION_UNSUPPORTED naming the field.
 */
export function readResponsesRequest(
  body: Readonly<Record<string, unknown>>,
  warnings: string[],
): CanonicalChatRequest {
  for (const field of ["previous_response_id", "conversation", "prompt"] as const) {
    if (body[field] !== undefined && body[field] !== null) {
      throw unsupported(
        `${field} needs OpenAI's server-side state, which a translated provider does not have; send the whole conversation in 'input'`,
        field,
      );
    }
  }
  if (body.background === true)
    throw unsupported("background responses are not supported here", "background");
  if (body.store === true) warnings.push("store is not honoured: a translated response is not stored");
  const system: string[] = [];
  if (typeof body.instructions === "string" && body.instructions !== "") system.push(body.instructions);
  const messages = readInput(body.input, system, warnings);
  const text = isRecord(body.text) ? body.text : undefined;
  if (text?.verbosity !== undefined && text.verbosity !== null)
    warnings.push("text.verbosity is not translated; dropped");
  const reasoning = isRecord(body.reasoning) ? body.reasoning : undefined;
  if (reasoning?.summary !== undefined && reasoning.summary !== null) {
    warnings.push("reasoning.summary is not translated; dropped");
  }
  for (const field of Object.keys(body)) {
    if (!knownFields.has(field)) warnings.push(`${field} is not translated; dropped`);
  }
  return {
    model: optionalString(body.model) ?? "",
    system,
    messages,
    stream: body.stream === true,
    maxTokens: optionalNumber(body.max_output_tokens),
    temperature: optionalNumber(body.temperature),
    topP: optionalNumber(body.top_p),
    topK: undefined,
    stopSequences: [],
    tools: readTools(body.tools),
    toolChoice: readToolChoice(body.tool_choice),
    parallelToolCalls: typeof body.parallel_tool_calls === "boolean" ? body.parallel_tool_calls : undefined,
    responseFormat: readFormat(text?.format),
    reasoning:
      typeof reasoning?.effort === "string"
        ? { budgetTokens: undefined, effort: reasoning.effort }
        : undefined,
    user: optionalString(body.user) ?? optionalString(body.safety_identifier),
    choiceCount: undefined,
  };
}

function unsupported(message: string, param?: string): GatewayError {
  return new GatewayError("GW_ERR_TRANSLATION_UNSUPPORTED", message, param === undefined ? {} : { param });
}

function readInput(input: unknown, system: string[], warnings: string[]): CanonicalMessage[] {
  if (typeof input === "string") return [{ role: "user", content: [{ type: "text", text: input }] }];
  const messages: CanonicalMessage[] = [];
  const pushUser = (part: CanonicalUserPart) => {
    const last = messages.at(-1);
    if (last?.role === "user")
      messages[messages.length - 1] = { role: "user", content: [...last.content, part] };
    else messages.push({ role: "user", content: [part] });
  };
  const pushAssistant = (part: CanonicalAssistantPart) => {
    const last = messages.at(-1);
    if (last?.role === "assistant") {
      messages[messages.length - 1] = { role: "assistant", content: [...last.content, part] };
    } else messages.push({ role: "assistant", content: [part] });
  };
  for (const [index, item] of records(input).entries()) {
    const where = `input.${index}`;
    const type = item.type ?? "message";
    switch (type) {
      case "message":
        if (item.role === "system" || item.role === "developer") {
          system.push(textOf(item.content));
        } else if (item.role === "assistant") {
          for (const part of readAssistantContent(item.content, where, warnings)) pushAssistant(part);
        } else {
          for (const part of readUserContent(item.content, where, warnings)) pushUser(part);
        }
        break;
      case "function_call":
        pushAssistant({
          type: "tool-call",
          id: optionalString(item.call_id) ?? "",
          name: optionalString(item.name) ?? "",
          arguments: optionalString(item.arguments) ?? "",
        });
        break;
      case "function_call_output":
        pushUser({
          type: "tool-result",
          toolCallId: optionalString(item.call_id) ?? "",
          content: readToolOutput(item.output, where, warnings),
          isError: false,
        });
        break;
      case "reasoning":
        pushAssistant(readReasoning(item));
        break;
      case "item_reference":
        throw unsupported(`${where}: item_reference needs OpenAI's stored items`, where);
      default:
        throw unsupported(`${where}: ${String(type)} items cannot be translated for this provider`, where);
    }
  }
  return messages;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  return records(content)
    .map((part) => optionalString(part.text) ?? "")
    .join("");
}

function readUserContent(content: unknown, where: string, warnings: string[]): CanonicalUserPart[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return records(content).flatMap((part, index): CanonicalUserPart[] => {
    if (part.type === "input_text" || part.type === "output_text") {
      return [{ type: "text", text: optionalString(part.text) ?? "" }];
    }
    if (part.type === "input_image") return [readImage(part, `${where}.content.${index}`, warnings)];
    throw unsupported(`${where}.content.${index}: ${String(part.type)} content cannot be translated`, where);
  });
}

function readAssistantContent(content: unknown, where: string, warnings: string[]): CanonicalAssistantPart[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return records(content).flatMap((part, index): CanonicalAssistantPart[] => {
    if (part.type === "output_text" || part.type === "input_text") {
      return [{ type: "text", text: optionalString(part.text) ?? "" }];
    }
    if (part.type === "refusal") return [{ type: "text", text: optionalString(part.refusal) ?? "" }];
    warnings.push(`${where}.content.${index}: assistant ${String(part.type)} content dropped`);
    return [];
  });
}

/** Images come as a URL or a `data:` URL; uploaded files (`file_id`) live on OpenAI and cannot be sent elsewhere. */
function readImage(part: Record<string, unknown>, where: string, warnings: string[]): CanonicalImagePart {
  const url = optionalString(part.image_url);
  if (url === undefined)
    throw unsupported(`${where}: input_image needs image_url (file_id is OpenAI-only)`, where);
  if (part.detail !== undefined && part.detail !== "auto") warnings.push(`${where}: image detail dropped`);
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (match?.[1] !== undefined && match[2] !== undefined) {
    return { type: "image", source: { kind: "base64", mediaType: match[1], data: match[2] } };
  }
  return { type: "image", source: { kind: "url", url } };
}

function readToolOutput(
  output: unknown,
  where: string,
  warnings: string[],
): (CanonicalTextPart | CanonicalImagePart)[] {
  if (typeof output === "string") return [{ type: "text", text: output }];
  return records(output).flatMap((part, index): (CanonicalTextPart | CanonicalImagePart)[] => {
    if (part.type === "input_text") return [{ type: "text", text: optionalString(part.text) ?? "" }];
    if (part.type === "input_image") return [readImage(part, `${where}.output.${index}`, warnings)];
    throw unsupported(`${where}.output.${index}: ${String(part.type)} cannot be translated`, where);
  });
}

/**
 * A reasoning item sent back. Its text is the reasoning content (or, failing that, the summary);
 * `encrypted_content` carries the upstream's opaque proof (Anthropic's signature, or redacted thinking when
 * there is no text), as `writeResponsesResult` put it there.
 */
function readReasoning(item: Record<string, unknown>): CanonicalAssistantPart {
  const content = records(item.content).map((part) => optionalString(part.text) ?? "");
  const summary = records(item.summary).map((part) => optionalString(part.text) ?? "");
  const text = (content.length > 0 ? content : summary).join("");
  const encrypted = optionalString(item.encrypted_content);
  if (text === "" && encrypted !== undefined) return { type: "redacted-reasoning", data: encrypted };
  return { type: "reasoning", text, signature: encrypted };
}

function readTools(tools: unknown): CanonicalTool[] {
  return records(tools).map((tool, index) => {
    if (tool.type !== "function") {
      throw unsupported(
        `tools.${index}: the built-in tool ${String(tool.type)} runs only on OpenAI; only function tools can be translated`,
        `tools.${index}`,
      );
    }
    return {
      name: optionalString(tool.name) ?? "",
      description: optionalString(tool.description),
      parameters: isRecord(tool.parameters) ? tool.parameters : { type: "object", properties: {} },
      strict: typeof tool.strict === "boolean" ? tool.strict : undefined,
    };
  });
}

function readToolChoice(choice: unknown): CanonicalToolChoice | undefined {
  if (choice === "auto" || choice === "none" || choice === "required") return { type: choice };
  if (!isRecord(choice)) return undefined;
  if (choice.type === "function") return { type: "tool", name: optionalString(choice.name) ?? "" };
  throw unsupported(`tool_choice of type ${String(choice.type)} cannot be translated`, "tool_choice");
}

function readFormat(format: unknown): CanonicalResponseFormat | undefined {
  if (!isRecord(format)) return undefined;
  switch (format.type) {
    case "text":
      return { type: "text" };
    case "json_object":
      return { type: "json" };
    case "json_schema":
      return {
        type: "json-schema",
        name: optionalString(format.name) ?? "response",
        schema: isRecord(format.schema) ? format.schema : {},
        strict: typeof format.strict === "boolean" ? format.strict : undefined,
      };
    default:
      throw unsupported(`text.format of type ${String(format.type)} cannot be translated`, "text.format");
  }
}
