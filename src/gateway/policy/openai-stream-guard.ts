import { StreamingRestorer } from "../../safety/policy/placeholder-restorer.js";
import { guardToolCall } from "./guard-chat-body.js";
import { GuardedOutputText } from "./guarded-output-text.js";
import type { RequestPolicy } from "./request-policy.js";
import { checkToolAllowed, declaredToolSchemas } from "./tool-call-check.js";

export { outputHoldBackChars, outputLookBackChars } from "./guarded-output-text.js";

type Chunk = Record<string, unknown>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

interface ToolCallState {
  name: string;
  /** Arguments held until the call is complete (when they must be checked as a whole). */
  held: string;
  readonly restorer: StreamingRestorer;
}

interface ChoiceState {
  readonly text: GuardedOutputText;
  readonly tools: Map<number, ToolCallState>;
  finished: boolean;
}

/**
 * Applies output and tool policies to an OpenAI chat stream chunk by chunk and restores masked values, also in
 * tool-call argument deltas split anywhere. Text is scanned with bounded look-back and released with a bounded
 * hold-back; held text and, when they must be checked whole, tool-call arguments are released in one extra chunk
 * just before the choice's finish reason. A block throws the policy's `GatewayError`; the relay ends the stream
 * with it as an error event.
 */
export class OpenAiStreamGuard {
  readonly #policy: RequestPolicy;
  readonly #schemas: ReadonlyMap<string, unknown>;
  readonly #holdToolArguments: boolean;
  readonly #choices = new Map<number, ChoiceState>();
  #template: Chunk = {};

  constructor(policy: RequestPolicy, requestBody: Record<string, unknown>) {
    this.#policy = policy;
    this.#schemas = declaredToolSchemas(requestBody);
    this.#holdToolArguments =
      policy.byStage["tool-call"].length > 0 || policy.toolRules.some((rule) => rule.validateArguments);
  }

  /**
   * The chunks to send for one upstream chunk: usually the chunk itself, rewritten. When a choice ends with text
   * or arguments still held, they follow in an extra chunk, and the finish reason moves to a last chunk of its own.
   */
  chunk(chunk: Chunk): Chunk[] {
    if (!Array.isArray(chunk.choices)) return [chunk];
    this.#template = chunk;
    const after: Chunk[] = [];
    const choices = chunk.choices.map((choice: unknown) => {
      if (!isRecord(choice) || typeof choice.index !== "number") return choice;
      const state = this.#state(choice.index);
      const delta = isRecord(choice.delta) ? this.#delta(state, choice.delta) : choice.delta;
      if (choice.finish_reason === null || choice.finish_reason === undefined) return { ...choice, delta };
      const held = this.#finish(state, choice.index);
      if (held === undefined) return { ...choice, delta };
      after.push(
        held,
        this.#chunkOf({ index: choice.index, delta: {}, finish_reason: choice.finish_reason }),
      );
      return { ...choice, delta, finish_reason: null };
    });
    return [{ ...chunk, choices }, ...after];
  }

  /** At `[DONE]` (or a clean end): releases what choices that never finished still hold. */
  end(): Chunk[] {
    const flushed: Chunk[] = [];
    for (const [index, state] of this.#choices) {
      const extra = this.#finish(state, index);
      if (extra !== undefined) flushed.push(extra);
    }
    return flushed;
  }

  #state(index: number): ChoiceState {
    let state = this.#choices.get(index);
    if (state === undefined) {
      state = { text: new GuardedOutputText(this.#policy), tools: new Map(), finished: false };
      this.#choices.set(index, state);
    }
    return state;
  }

  #delta(state: ChoiceState, delta: Chunk): Chunk {
    const rewritten: Chunk = { ...delta };
    if (typeof delta.content === "string" && delta.content !== "") {
      rewritten.content = state.text.push(delta.content);
    }
    if (Array.isArray(delta.tool_calls)) {
      rewritten.tool_calls = delta.tool_calls.map((call: unknown) => this.#toolCallDelta(state, call));
    }
    return rewritten;
  }

  #toolCallDelta(state: ChoiceState, call: unknown): unknown {
    if (!isRecord(call) || typeof call.index !== "number" || !isRecord(call.function)) return call;
    let tool = state.tools.get(call.index);
    if (tool === undefined) {
      tool = { name: "", held: "", restorer: new StreamingRestorer(this.#policy.vault, "json-string") };
      state.tools.set(call.index, tool);
    }
    const fn = { ...call.function };
    if (typeof fn.name === "string") {
      tool.name += fn.name;
      if (this.#policy.toolRules.length > 0) checkToolAllowed(this.#policy.toolRules, tool.name);
    }
    if (typeof fn.arguments === "string") {
      if (this.#holdToolArguments) {
        tool.held += fn.arguments;
        fn.arguments = "";
      } else {
        fn.arguments = tool.restorer.push(fn.arguments);
      }
    }
    return { ...call, function: fn };
  }

  /** Ends a choice: scans and releases held text, checks held tool calls; returns a chunk carrying them, if any. */
  #finish(state: ChoiceState, index: number): Chunk | undefined {
    if (state.finished) return undefined;
    state.finished = true;
    const delta: Chunk = {};
    const content = state.text.end();
    if (content !== "") delta.content = content;
    const calls: Chunk[] = [];
    for (const [toolIndex, tool] of state.tools) {
      const rest = this.#holdToolArguments
        ? guardToolCall(this.#policy, this.#schemas, tool.name, tool.held)
        : tool.restorer.end();
      if (rest !== "") calls.push({ index: toolIndex, function: { arguments: rest } });
    }
    if (calls.length > 0) delta.tool_calls = calls;
    if (Object.keys(delta).length === 0) return undefined;
    return this.#chunkOf({ index, delta, finish_reason: null });
  }

  #chunkOf(choice: Chunk): Chunk {
    const { id, object, created, model, system_fingerprint } = this.#template;
    return { id, object, created, model, system_fingerprint, choices: [choice] };
  }
}
