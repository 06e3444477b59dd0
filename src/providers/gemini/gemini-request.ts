import type {
  CanonicalAssistantPart,
  CanonicalChatRequest,
  CanonicalImagePart,
  CanonicalMessage,
  CanonicalToolChoice,
  CanonicalToolResultPart,
  CanonicalUserPart,
} from "../../core/canonical-chat.js";
import { GatewayError } from "../../core/gateway-error.js";
import { parseObject } from "../anthropic/anthropic-response.js";

/** Media types Gemini needs for `fileData`, guessed from an image URL's extension. */
const imageTypesByExtension: Readonly<Record<string, string>> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  heic: "image/heic",
  heif: "image/heif",
  gif: "image/gif",
};

/**
 * Writes a Gemini `generateContent` body (https://ai.google.dev/api/generate-content#request-body) from the
 * canonical request. The body also carries `model` and `stream`, which Gemini takes in the URL instead: the
 * adapter reads and removes them (`splitGeminiEnvelope`). Schemas go in Gemini's JSON Schema fields
 * (`parametersJsonSchema`, `responseJsonSchema`), which take the JSON Schema OpenAI and Anthropic callers send;
 * the older `parameters`/`responseSchema` accept only an OpenAPI subset (no `additionalProperties`, …).
 */
export function writeGeminiRequest(
  request: CanonicalChatRequest,
  warnings: string[],
): Record<string, unknown> {
  const body: Record<string, unknown> = { model: request.model, stream: request.stream };
  // Gemini rejects a content without parts (e.g. an assistant turn that held only reasoning text).
  body.contents = mergeRoles(request.messages)
    .map((message, index) => ({
      role: message.role === "assistant" ? "model" : "user",
      parts: writeParts(message, request.messages, index, warnings),
    }))
    .filter((content) => content.parts.length > 0);
  if (request.system.length > 0) {
    body.systemInstruction = { parts: request.system.map((text) => ({ text })) };
  }
  if (request.tools.length > 0) {
    body.tools = [
      {
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.name,
          ...(tool.description === undefined ? {} : { description: tool.description }),
          parametersJsonSchema: tool.parameters,
        })),
      },
    ];
  }
  const toolConfig = writeToolChoice(request.toolChoice);
  if (toolConfig !== undefined) body.toolConfig = { functionCallingConfig: toolConfig };
  if (request.parallelToolCalls === false) {
    warnings.push("parallel_tool_calls=false has no Gemini equivalent; dropped");
  }
  if (request.user !== undefined) warnings.push("user has no Gemini equivalent; dropped");
  const generationConfig = writeGenerationConfig(request, warnings);
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  return body;
}

function writeGenerationConfig(request: CanonicalChatRequest, warnings: string[]): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.topK !== undefined) config.topK = request.topK;
  if (request.stopSequences.length > 0) config.stopSequences = request.stopSequences;
  if (request.choiceCount !== undefined && request.choiceCount > 1) {
    // The canonical result carries one choice, so extra candidates could not reach the caller.
    throw unsupported(`n=${request.choiceCount}: more than one choice cannot be translated for Gemini`);
  }
  if (request.choiceCount === 1) config.candidateCount = 1;
  const format = request.responseFormat;
  if (format?.type === "json") config.responseMimeType = "application/json";
  if (format?.type === "json-schema") {
    config.responseMimeType = "application/json";
    config.responseJsonSchema = format.schema;
    if (format.strict === true) warnings.push("response_format strict is not enforced by Gemini");
  }
  if (request.tools.some((tool) => tool.strict === true)) {
    warnings.push("strict tool schemas are not enforced by Gemini");
  }
  const reasoning = request.reasoning;
  if (reasoning?.budgetTokens !== undefined) {
    config.thinkingConfig = { thinkingBudget: reasoning.budgetTokens, includeThoughts: true };
  } else if (reasoning?.effort === "none") {
    config.thinkingConfig = { thinkingBudget: 0 };
  } else if (reasoning?.effort !== undefined) {
    config.thinkingConfig = { thinkingLevel: reasoning.effort, includeThoughts: true };
  }
  return config;
}

function writeToolChoice(choice: CanonicalToolChoice | undefined): Record<string, unknown> | undefined {
  switch (choice?.type) {
    case undefined:
      return undefined;
    case "auto":
      return { mode: "AUTO" };
    case "none":
      return { mode: "NONE" };
    case "required":
      return { mode: "ANY" };
    case "tool":
      return { mode: "ANY", allowedFunctionNames: [choice.name] };
  }
}

/** Parallel tool results arrive as several user messages; Gemini wants their responses in one content. */
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

function writeParts(
  message: CanonicalMessage,
  history: readonly CanonicalMessage[],
  index: number,
  warnings: string[],
): Record<string, unknown>[] {
  if (message.role === "user") {
    return message.content.map((part) => writeUserPart(part, history, index, warnings));
  }
  return writeAssistantParts(message.content);
}

function writeUserPart(
  part: CanonicalUserPart,
  history: readonly CanonicalMessage[],
  index: number,
  warnings: string[],
): Record<string, unknown> {
  switch (part.type) {
    case "text":
      return { text: part.text };
    case "image":
      return writeImage(part, warnings);
    case "tool-result":
      return writeToolResult(part, history, index, warnings);
  }
}

/**
 * Gemini matches a function response to its call by name; canonical tool results carry the call's id, so the
 * name is looked up in the assistant turns before it (the latest call with that id wins).
 */
function writeToolResult(
  part: CanonicalToolResultPart,
  history: readonly CanonicalMessage[],
  index: number,
  warnings: string[],
): Record<string, unknown> {
  const name = toolNameOf(part.toolCallId, history);
  if (name === undefined) {
    throw unsupported(
      `contents.${index}: tool result for ${JSON.stringify(part.toolCallId)} matches no earlier tool call; Gemini needs the function name`,
    );
  }
  if (part.content.some((item) => item.type === "image")) {
    warnings.push(`contents.${index}: images inside a tool result are not sent to Gemini; dropped`);
  }
  const text = part.content.map((item) => (item.type === "text" ? item.text : "")).join("");
  const parsed = parseObject(text);
  const response = part.isError
    ? { error: text }
    : parsed._raw === undefined && text.trim().startsWith("{")
      ? parsed
      : { content: text };
  return { functionResponse: { name, response } };
}

function toolNameOf(toolCallId: string, history: readonly CanonicalMessage[]): string | undefined {
  for (let position = history.length - 1; position >= 0; position -= 1) {
    const message = history[position];
    if (message?.role !== "assistant") continue;
    for (const part of message.content) {
      if (part.type === "tool-call" && part.id === toolCallId) return part.name;
    }
  }
  return undefined;
}

function writeImage(part: CanonicalImagePart, warnings: string[]): Record<string, unknown> {
  const source = part.source;
  if (source.kind === "base64") return { inlineData: { mimeType: source.mediaType, data: source.data } };
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(source.url)?.[1]?.toLowerCase() ?? "";
  const mimeType = imageTypesByExtension[extension];
  if (mimeType === undefined) {
    throw unsupported(
      "image URL without a recognisable image extension: Gemini needs the media type of a fileData URL; send the image as base64",
    );
  }
  if (!source.url.startsWith("gs://") && !source.url.includes("generativelanguage.googleapis.com/")) {
    warnings.push(
      "image URL sent as fileData; Gemini fetches only some public URLs (Files API or gs:// are safe)",
    );
  }
  return { fileData: { mimeType, fileUri: source.url } };
}

/**
 * Assistant parts → Gemini parts. Reasoning text is not sent back (Gemini does not take thoughts as input); a
 * reasoning signature is attached to the part that follows it, where Gemini put it.
 */
function writeAssistantParts(content: readonly CanonicalAssistantPart[]): Record<string, unknown>[] {
  const parts: Record<string, unknown>[] = [];
  let pendingSignature: string | undefined;
  for (const part of content) {
    let written: Record<string, unknown> | undefined;
    if (part.type === "reasoning") {
      if (part.signature !== undefined && part.signature !== "") pendingSignature = part.signature;
    } else if (part.type === "text") {
      written = { text: part.text };
    } else if (part.type === "tool-call") {
      written = { functionCall: { name: part.name, args: parseObject(part.arguments) } };
    }
    if (written === undefined) continue;
    if (pendingSignature !== undefined) written.thoughtSignature = pendingSignature;
    pendingSignature = undefined;
    parts.push(written);
  }
  return parts;
}

/** The model and stream flag `writeGeminiRequest` put beside the body, and the body Gemini takes. */
export function splitGeminiEnvelope(envelope: Readonly<Record<string, unknown>>): {
  readonly model: string;
  readonly stream: boolean;
  readonly body: Record<string, unknown>;
} {
  const { model, stream, ...body } = envelope;
  return {
    model: (typeof model === "string" ? model : "").replace(/^models\//, ""),
    stream: stream === true,
    body,
  };
}

function unsupported(message: string): GatewayError {
  return new GatewayError("GW_ERR_TRANSLATION_UNSUPPORTED", message);
}
