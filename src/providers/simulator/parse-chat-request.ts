import { isJsonRecord, type JsonRecord, type ParseResult, type RequestIssue } from "./simulator-wire.js";

export interface SimulatorFunctionTool {
  readonly name: string;
  /** The function's JSON Schema, as sent; absent means no arguments. */
  readonly parameters: unknown;
}

/** `tool_choice` reduced to what the simulator acts on; `allowed` limits which functions may be called. */
export interface SimulatorToolChoice {
  readonly mode: "none" | "auto" | "required";
  readonly allowed: readonly string[] | undefined;
}

/** The parts of a chat completion request the simulator reads; everything else is accepted and ignored. */
export interface SimulatorChatRequest {
  readonly model: string;
  readonly messages: readonly JsonRecord[];
  readonly n: number;
  /** `max_completion_tokens`, else the deprecated `max_tokens`. */
  readonly maxTokens: number | undefined;
  readonly stop: readonly string[];
  readonly tools: readonly SimulatorFunctionTool[];
  readonly toolChoice: SimulatorToolChoice;
  readonly stream: boolean;
  readonly includeUsage: boolean;
  readonly seed: number | undefined;
}

const ROLES = ["system", "developer", "user", "assistant", "tool", "function"];
const MAX_CHOICES = 128;
const MAX_STOP_SEQUENCES = 4;

function issue(
  message: string,
  param: string | null,
  code: string | null,
): { ok: false; issue: RequestIssue } {
  return { ok: false, issue: { message, param, code } };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return Number.isInteger(value) ? "an integer" : "a decimal";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function invalidType(param: string, expected: string, value: unknown) {
  return issue(
    `Invalid type for '${param}': expected ${expected}, but got ${describe(value)} instead.`,
    param,
    "invalid_type",
  );
}

function positiveInt(body: JsonRecord, key: string): ParseResult<number | undefined> {
  const value = body[key];
  if (value === undefined || value === null) return { ok: true, value: undefined };
  if (typeof value !== "number" || !Number.isInteger(value)) return invalidType(key, "an integer", value);
  if (value < 1) {
    return issue(
      `Invalid '${key}': integer below minimum value. Expected a value >= 1, but got ${value} instead.`,
      key,
      "integer_below_min_value",
    );
  }
  return { ok: true, value };
}

function parseMessages(value: unknown): ParseResult<readonly JsonRecord[]> {
  if (value === undefined)
    return issue("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
  if (!Array.isArray(value)) return invalidType("messages", "an array", value);
  if (value.length === 0) {
    return issue(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      "messages",
      "empty_array",
    );
  }
  for (const [index, message] of value.entries()) {
    const param = `messages[${index}]`;
    if (!isJsonRecord(message)) return invalidType(param, "an object", message);
    if (message.role === undefined) {
      return issue(
        `Missing required parameter: '${param}.role'.`,
        `${param}.role`,
        "missing_required_parameter",
      );
    }
    if (typeof message.role !== "string" || !ROLES.includes(message.role)) {
      return issue(
        `Invalid value: '${String(message.role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
        `${param}.role`,
        "invalid_value",
      );
    }
  }
  return { ok: true, value };
}

function parseStop(value: unknown): ParseResult<readonly string[]> {
  if (value === undefined || value === null) return { ok: true, value: [] };
  if (typeof value === "string") return { ok: true, value: [value] };
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    return invalidType("stop", "a string or an array of strings", value);
  }
  if (value.length > MAX_STOP_SEQUENCES) {
    return issue(
      `Invalid 'stop': array too long. Expected at most ${MAX_STOP_SEQUENCES} items.`,
      "stop",
      "array_above_max_length",
    );
  }
  return { ok: true, value };
}

function parseTools(value: unknown): ParseResult<readonly SimulatorFunctionTool[]> {
  if (value === undefined || value === null) return { ok: true, value: [] };
  if (!Array.isArray(value)) return invalidType("tools", "an array", value);
  const tools: SimulatorFunctionTool[] = [];
  for (const [index, tool] of value.entries()) {
    if (!isJsonRecord(tool)) return invalidType(`tools[${index}]`, "an object", tool);
    // Custom (free-form) tools are accepted but never called.
    if (tool.type !== "function") continue;
    const fn = tool.function;
    if (!isJsonRecord(fn) || typeof fn.name !== "string" || fn.name === "") {
      return issue(
        `Missing required parameter: 'tools[${index}].function.name'.`,
        `tools[${index}].function.name`,
        "missing_required_parameter",
      );
    }
    tools.push({ name: fn.name, parameters: fn.parameters });
  }
  return { ok: true, value: tools };
}

function namedFunction(value: JsonRecord): string | undefined {
  return isJsonRecord(value.function) && typeof value.function.name === "string"
    ? value.function.name
    : undefined;
}

function parseToolChoice(
  value: unknown,
  tools: readonly SimulatorFunctionTool[],
  toolsGiven: boolean,
): ParseResult<SimulatorToolChoice> {
  if (value === undefined || value === null) return { ok: true, value: { mode: "auto", allowed: undefined } };
  if (!toolsGiven) {
    return issue(
      "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
      "tool_choice",
      null,
    );
  }
  if (value === "none" || value === "auto" || value === "required")
    return { ok: true, value: { mode: value, allowed: undefined } };
  if (isJsonRecord(value) && value.type === "function") {
    const name = namedFunction(value);
    if (name === undefined || !tools.some((tool) => tool.name === name)) {
      return issue(
        `Invalid value for 'tool_choice': no function named '${String(name)}' was specified in the 'tools' parameter.`,
        "tool_choice",
        null,
      );
    }
    return { ok: true, value: { mode: "required", allowed: [name] } };
  }
  if (isJsonRecord(value) && value.type === "allowed_tools" && isJsonRecord(value.allowed_tools)) {
    const { mode, tools: allowedTools } = value.allowed_tools;
    const names = Array.isArray(allowedTools)
      ? allowedTools.flatMap((tool) => (isJsonRecord(tool) ? (namedFunction(tool) ?? []) : []))
      : [];
    return { ok: true, value: { mode: mode === "required" ? "required" : "auto", allowed: names } };
  }
  return invalidType("tool_choice", "one of 'none', 'auto', 'required' or an object", value);
}

export function parseChatRequest(body: unknown): ParseResult<SimulatorChatRequest> {
  if (!isJsonRecord(body)) return invalidType("body", "an object", body);
  if (body.model === undefined)
    return issue("Missing required parameter: 'model'.", "model", "missing_required_parameter");
  if (typeof body.model !== "string") return invalidType("model", "a string", body.model);
  const messages = parseMessages(body.messages);
  if (!messages.ok) return messages;
  const n = positiveInt(body, "n");
  if (!n.ok) return n;
  if ((n.value ?? 1) > MAX_CHOICES) {
    return issue(
      `Invalid 'n': integer above maximum value. Expected a value <= ${MAX_CHOICES}.`,
      "n",
      "integer_above_max_value",
    );
  }
  const maxCompletionTokens = positiveInt(body, "max_completion_tokens");
  if (!maxCompletionTokens.ok) return maxCompletionTokens;
  const maxTokens = positiveInt(body, "max_tokens");
  if (!maxTokens.ok) return maxTokens;
  const stop = parseStop(body.stop);
  if (!stop.ok) return stop;
  const tools = parseTools(body.tools);
  if (!tools.ok) return tools;
  const toolsGiven = Array.isArray(body.tools) && body.tools.length > 0;
  const toolChoice = parseToolChoice(body.tool_choice, tools.value, toolsGiven);
  if (!toolChoice.ok) return toolChoice;
  const stream = body.stream ?? false;
  if (stream !== null && typeof stream !== "boolean") return invalidType("stream", "a boolean", stream);
  const streamOptions = body.stream_options ?? null;
  if (streamOptions !== null && stream !== true) {
    return issue(
      "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
      "stream_options",
      null,
    );
  }
  if (streamOptions !== null && !isJsonRecord(streamOptions))
    return invalidType("stream_options", "an object", streamOptions);
  const seed = body.seed ?? undefined;
  if (seed !== undefined && (typeof seed !== "number" || !Number.isInteger(seed)))
    return invalidType("seed", "an integer", seed);
  return {
    ok: true,
    value: {
      model: body.model,
      messages: messages.value,
      n: n.value ?? 1,
      maxTokens: maxCompletionTokens.value ?? maxTokens.value,
      stop: stop.value,
      tools: tools.value,
      toolChoice: toolChoice.value,
      stream: stream === true,
      includeUsage: streamOptions !== null && streamOptions.include_usage === true,
      seed,
    },
  };
}
