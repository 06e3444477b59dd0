import type {
  CanonicalAssistantPart,
  CanonicalChatRequest,
  CanonicalImagePart,
  CanonicalMessage,
  CanonicalToolChoice,
  CanonicalUserPart,
} from "../../core/canonical-chat.js";
import { GatewayError } from "../../core/gateway-error.js";
import { isRecord } from "../../core/json-value.js";

/**
 * What `writeBedrockRequest` returns: the Converse body plus two routing fields that are not part of it.
 * Like the AWS SDK's `ConverseCommandInput`, `modelId` sits beside the body members; the adapter moves it into
 * the URL (`/model/{modelId}/converse`) and `stream` picks Converse or ConverseStream. See `splitBedrockEnvelope`.
 */
export interface BedrockEnvelope {
  readonly modelId: string;
  readonly stream: boolean;
  readonly body: Record<string, unknown>;
}

/** Image formats Converse accepts (`ImageBlock.format`), by media type. */
const imageFormats: Readonly<Record<string, string>> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/jpg": "jpeg",
  "image/gif": "gif",
  "image/webp": "webp",
};

function unsupported(message: string): GatewayError {
  return new GatewayError("GW_ERR_TRANSLATION_UNSUPPORTED", message);
}

/**
 * Canonical → Bedrock Converse request
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html).
 */
export function writeBedrockRequest(
  request: CanonicalChatRequest,
  warnings: string[],
): Record<string, unknown> {
  if (request.choiceCount !== undefined && request.choiceCount > 1) {
    throw unsupported(`n=${request.choiceCount}: Bedrock Converse returns one choice per request`);
  }
  const body: Record<string, unknown> = { modelId: request.model, stream: request.stream };
  body.messages = mergeRoles(request.messages).map((message) => ({
    role: message.role,
    content: message.content.flatMap((part) => writeBlock(part, warnings)),
  }));
  if (request.system.length > 0) body.system = request.system.map((text) => ({ text }));
  const inferenceConfig: Record<string, unknown> = {};
  if (request.maxTokens !== undefined) inferenceConfig.maxTokens = request.maxTokens;
  if (request.temperature !== undefined) inferenceConfig.temperature = request.temperature;
  if (request.topP !== undefined) inferenceConfig.topP = request.topP;
  if (request.stopSequences.length > 0) inferenceConfig.stopSequences = request.stopSequences;
  if (Object.keys(inferenceConfig).length > 0) body.inferenceConfig = inferenceConfig;
  if (request.topK !== undefined) warnings.push("top_k has no Converse field; dropped");
  if (request.user !== undefined) body.requestMetadata = { user: request.user };
  if (request.reasoning?.budgetTokens !== undefined) {
    // Claude's extended thinking on Bedrock, passed to the model as a model-specific field.
    body.additionalModelRequestFields = {
      thinking: { type: "enabled", budget_tokens: request.reasoning.budgetTokens },
    };
  } else if (request.reasoning?.effort !== undefined) {
    warnings.push(`reasoning_effort ${request.reasoning.effort} has no Converse equivalent; dropped`);
  }
  const toolConfig = writeToolConfig(request, warnings);
  if (toolConfig !== undefined) body.toolConfig = toolConfig;
  return body;
}

/** Splits what `writeBedrockRequest` wrote into the URL's model id, the stream flag and the Converse body. */
export function splitBedrockEnvelope(written: Readonly<Record<string, unknown>>): BedrockEnvelope {
  const { modelId, stream, ...body } = written;
  if (typeof modelId !== "string" || modelId === "") {
    throw new GatewayError("GW_ERR_REQUEST_INVALID_BODY", "a Bedrock request needs a model id");
  }
  return { modelId, stream: stream === true, body };
}

function writeToolConfig(
  request: CanonicalChatRequest,
  warnings: string[],
): Record<string, unknown> | undefined {
  const tools: Record<string, unknown>[] = request.tools.map((tool) => ({
    toolSpec: {
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      inputSchema: { json: tool.parameters },
    },
  }));
  if (request.tools.some((tool) => tool.strict === true)) {
    warnings.push("strict tool schemas are not enforced by Bedrock Converse");
  }
  let toolChoice = writeToolChoice(request.toolChoice);
  const format = request.responseFormat;
  if (format?.type === "json-schema") {
    // As for Anthropic: forcing a tool whose input is the schema is how Converse yields schema-shaped JSON.
    tools.push({
      toolSpec: {
        name: format.name,
        description: "Respond with JSON matching this schema.",
        inputSchema: { json: format.schema },
      },
    });
    toolChoice = { tool: { name: format.name } };
    warnings.push("response_format json_schema emulated by forcing a tool call");
  } else if (format?.type === "json") {
    warnings.push("response_format json_object has no Converse equivalent; only the prompt asks for JSON");
  }
  if (request.parallelToolCalls === false) {
    warnings.push("parallel_tool_calls false has no Converse equivalent; dropped");
  }
  if (tools.length === 0) return undefined;
  if (request.toolChoice?.type === "none" && toolChoice === undefined) {
    // Converse has no "none"; Bedrock requires toolConfig whenever the history holds tool blocks.
    if (!hasToolBlocks(request.messages)) return undefined;
    warnings.push("tool_choice none has no Converse equivalent; tools stay offered");
  }
  return { tools, ...(toolChoice === undefined ? {} : { toolChoice }) };
}

function writeToolChoice(choice: CanonicalToolChoice | undefined): Record<string, unknown> | undefined {
  switch (choice?.type) {
    case undefined:
    case "none":
      return undefined;
    case "auto":
      return { auto: {} };
    case "required":
      return { any: {} };
    case "tool":
      return { tool: { name: choice.name } };
  }
}

function hasToolBlocks(messages: readonly CanonicalMessage[]): boolean {
  return messages.some((message) =>
    message.content.some((part) => part.type === "tool-call" || part.type === "tool-result"),
  );
}

/** Converse rejects two consecutive messages of the same role; canonical input may have them. */
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
  if (source.kind === "url") {
    throw unsupported("image URLs: Bedrock Converse takes image bytes only; send the image as a data: URL");
  }
  const format = imageFormats[source.mediaType.toLowerCase()];
  if (format === undefined) {
    throw unsupported(`image type ${source.mediaType}: Bedrock Converse takes png, jpeg, gif or webp`);
  }
  return { image: { format, source: { bytes: source.data } } };
}

/** One canonical part as Converse content blocks (none for empty text, which Converse rejects). */
function writeBlock(
  part: CanonicalUserPart | CanonicalAssistantPart,
  warnings: string[],
): Record<string, unknown>[] {
  switch (part.type) {
    case "text":
      return part.text === "" ? [] : [{ text: part.text }];
    case "image":
      return [writeImage(part)];
    case "tool-result":
      return [
        {
          toolResult: {
            toolUseId: part.toolCallId,
            content: part.content.map((item) =>
              item.type === "text" ? { text: item.text } : writeImage(item),
            ),
            ...(part.isError ? { status: "error" } : {}),
          },
        },
      ];
    case "tool-call":
      return [
        { toolUse: { toolUseId: part.id, name: part.name, input: parseArguments(part.arguments, warnings) } },
      ];
    case "reasoning":
      return [
        {
          reasoningContent: {
            reasoningText: {
              text: part.text,
              ...(part.signature === undefined ? {} : { signature: part.signature }),
            },
          },
        },
      ];
    case "redacted-reasoning":
      return [{ reasoningContent: { redactedContent: part.data } }];
  }
}

function parseArguments(text: string, warnings: string[]): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text === "" ? "{}" : text);
    if (isRecord(parsed)) return parsed;
  } catch {
    // Reported below.
  }
  warnings.push("a tool call's arguments were not a JSON object; sent as {}");
  return {};
}
