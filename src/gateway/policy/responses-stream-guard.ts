import { StreamingRestorer } from "../../safety/policy/placeholder-restorer.js";
import type { StreamChunkGuard } from "../openai-stream-relay.js";
import { guardToolCall } from "./guard-chat-body.js";
import {
  clientInstructions,
  guardOutputItem,
  guardResponseObject,
  guardOutputText as guardWholeText,
  type ReleasedOutput,
} from "./guard-responses-body.js";
import { GuardedOutputText } from "./guarded-output-text.js";
import type { RequestPolicy } from "./request-policy.js";
import { checkToolAllowed, declaredResponsesToolSchemas } from "./tool-call-check.js";

type StreamEvent = Record<string, unknown>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

interface TextState {
  readonly text: GuardedOutputText;
  readonly itemId: unknown;
  released: string;
  finished: boolean;
}

interface CallState {
  readonly name: string;
  readonly itemId: unknown;
  /** Arguments held until the call is complete (when they must be checked as a whole). */
  held: string;
  readonly restorer: StreamingRestorer;
  released: string;
  /** Whether any argument delta came (else `.done` carries them all). */
  streamed: boolean;
  finished: boolean;
}

/** Events whose `response` is a Response object with the output so far (the last ones carry all of it). */
const responseEvents: ReadonlySet<unknown> = new Set([
  "response.created",
  "response.in_progress",
  "response.queued",
  "response.completed",
  "response.incomplete",
  "response.failed",
]);

/**
 * Applies output and tool policies to an OpenAI Responses event stream and restores masked values.
 * `response.output_text.delta` text (per output and content index) is scanned with bounded look-back and
 * released with a bounded hold-back; `response.function_call_arguments.delta` pieces are restored (split
 * anywhere) or, when tool calls must be checked whole, held and checked at `.done`. What a part or call still
 * holds goes out in one extra delta just before its `.done`; the `.done` events, `response.output_item.done`
 * and the final Response (`response.completed`) carry exactly the released text, which the SDK builds
 * `output_text` from. A function's name is checked against the allowlist at `response.output_item.added`.
 * Deltas left empty are dropped and events are renumbered so `sequence_number` stays gapless. A block throws
 * the policy's `GatewayError`; the relay ends the stream with it as an `error` event.
 */
export class ResponsesStreamGuard implements StreamChunkGuard {
  readonly #policy: RequestPolicy;
  readonly #schemas: ReadonlyMap<string, unknown>;
  readonly #holdArguments: boolean;
  readonly #texts = new Map<string, TextState>();
  readonly #calls = new Map<number, CallState>();
  readonly #released: ReleasedOutput;
  #sequence = 0;

  constructor(policy: RequestPolicy, requestBody: Record<string, unknown>) {
    this.#policy = policy;
    this.#schemas = declaredResponsesToolSchemas(requestBody);
    this.#holdArguments =
      policy.byStage["tool-call"].length > 0 || policy.toolRules.some((rule) => rule.validateArguments);
    this.#released = {
      text: (outputIndex, contentIndex) => this.#texts.get(textKey(outputIndex, contentIndex))?.released,
      arguments: (outputIndex) => this.#calls.get(outputIndex)?.released,
    };
  }

  chunk(event: StreamEvent): StreamEvent[] {
    return this.#rewrite(event).map((item) => this.#numbered(item));
  }

  /** Before the final Response event (or at a clean end): releases what parts and calls still hold. */
  end(): StreamEvent[] {
    const flushed: StreamEvent[] = [];
    for (const [key, state] of this.#texts) {
      const [outputIndex = 0, contentIndex = 0] = key.split(":").map(Number);
      const held = this.#finishText(state, outputIndex, contentIndex);
      if (held !== undefined) flushed.push(held);
    }
    for (const [outputIndex, state] of this.#calls) {
      const held = this.#finishCall(state, outputIndex);
      if (held !== undefined) flushed.push(held);
    }
    return flushed.map((item) => this.#numbered(item));
  }

  #rewrite(event: StreamEvent): StreamEvent[] {
    const type = event.type;
    if (responseEvents.has(type) && isRecord(event.response)) {
      return [{ ...event, response: this.#response(event.response) }];
    }
    const outputIndex = event.output_index;
    if (typeof outputIndex !== "number") return [event];
    const contentIndex = typeof event.content_index === "number" ? event.content_index : 0;
    switch (type) {
      case "response.output_item.added":
        if (isRecord(event.item) && event.item.type === "function_call")
          this.#startCall(event.item, outputIndex);
        return [event];
      case "response.output_text.delta":
        return this.#textDelta(event, outputIndex, contentIndex);
      case "response.output_text.done": {
        // A text that never came as deltas goes out as one.
        const unseen = !this.#texts.has(textKey(outputIndex, contentIndex)) && typeof event.text === "string";
        const first = unseen
          ? this.#textDelta(
              {
                type: "response.output_text.delta",
                item_id: event.item_id,
                output_index: outputIndex,
                content_index: contentIndex,
                delta: event.text,
                logprobs: [],
              },
              outputIndex,
              contentIndex,
            )
          : [];
        const state = this.#texts.get(textKey(outputIndex, contentIndex));
        if (state === undefined) return [event];
        const held = this.#finishText(state, outputIndex, contentIndex);
        return [...first, ...(held === undefined ? [] : [held]), { ...event, text: state.released }];
      }
      case "response.content_part.done": {
        if (!isRecord(event.part) || event.part.type !== "output_text" || typeof event.part.text !== "string")
          return [event];
        const text =
          this.#released.text(outputIndex, contentIndex) ??
          guardWholeText(event.part.text, this.#policy, outputIndex, contentIndex);
        return [{ ...event, part: { ...event.part, text } }];
      }
      case "response.function_call_arguments.delta":
        return this.#argumentsDelta(event, outputIndex);
      case "response.function_call_arguments.done": {
        const state = this.#calls.get(outputIndex) ?? this.#startCall(event, outputIndex);
        // Arguments that never came as deltas go out as one.
        const first =
          !state.streamed && typeof event.arguments === "string" && event.arguments !== ""
            ? this.#argumentsDelta(
                {
                  type: "response.function_call_arguments.delta",
                  item_id: event.item_id,
                  output_index: outputIndex,
                  delta: event.arguments,
                },
                outputIndex,
              )
            : [];
        const held = this.#finishCall(state, outputIndex);
        return [...first, ...(held === undefined ? [] : [held]), { ...event, arguments: state.released }];
      }
      case "response.output_item.done":
        if (!isRecord(event.item)) return [event];
        return [{ ...event, item: this.#item(event.item, outputIndex) }];
      default:
        return [event];
    }
  }

  #response(response: Record<string, unknown>): Record<string, unknown> {
    if (!Array.isArray(response.output) || response.output.length === 0) {
      return typeof response.instructions === "string"
        ? { ...response, instructions: clientInstructions(response.instructions, this.#policy) }
        : response;
    }
    return guardResponseObject(response, this.#policy, this.#schemas, this.#released);
  }

  #item(item: Record<string, unknown>, outputIndex: number): Record<string, unknown> {
    return guardOutputItem(item, outputIndex, this.#policy, this.#schemas, this.#released);
  }

  #textDelta(event: StreamEvent, outputIndex: number, contentIndex: number): StreamEvent[] {
    if (typeof event.delta !== "string") return [event];
    const key = textKey(outputIndex, contentIndex);
    let state = this.#texts.get(key);
    if (state === undefined) {
      state = {
        text: new GuardedOutputText(this.#policy),
        itemId: event.item_id,
        released: "",
        finished: false,
      };
      this.#texts.set(key, state);
    }
    const delta = state.text.push(event.delta);
    state.released += delta;
    return delta === "" ? [] : [{ ...event, delta }];
  }

  /** A call begins at its `output_item.added` (or, should that be missing, at its first arguments event). */
  #startCall(item: Record<string, unknown>, outputIndex: number): CallState {
    const name = typeof item.name === "string" ? item.name : "";
    if (this.#policy.toolRules.length > 0) checkToolAllowed(this.#policy.toolRules, name);
    const state: CallState = {
      name,
      itemId: item.id ?? item.item_id,
      held: "",
      restorer: new StreamingRestorer(this.#policy.vault, "json-string"),
      released: "",
      streamed: false,
      finished: false,
    };
    this.#calls.set(outputIndex, state);
    return state;
  }

  #argumentsDelta(event: StreamEvent, outputIndex: number): StreamEvent[] {
    if (typeof event.delta !== "string") return [event];
    const state = this.#calls.get(outputIndex) ?? this.#startCall(event, outputIndex);
    state.streamed = true;
    if (this.#holdArguments) {
      state.held += event.delta;
      return [];
    }
    const delta = state.restorer.push(event.delta);
    state.released += delta;
    return delta === "" ? [] : [{ ...event, delta }];
  }

  /** Ends a text part: scans and releases what it holds, as one more delta. */
  #finishText(state: TextState, outputIndex: number, contentIndex: number): StreamEvent | undefined {
    if (state.finished) return undefined;
    state.finished = true;
    const delta = state.text.end();
    state.released += delta;
    if (delta === "") return undefined;
    return {
      type: "response.output_text.delta",
      item_id: state.itemId,
      output_index: outputIndex,
      content_index: contentIndex,
      delta,
      logprobs: [],
    };
  }

  /** Ends a call: checks held arguments whole (or ends the restorer) and releases the rest as one more delta. */
  #finishCall(state: CallState, outputIndex: number): StreamEvent | undefined {
    if (state.finished) return undefined;
    state.finished = true;
    const delta = this.#holdArguments
      ? guardToolCall(this.#policy, this.#schemas, state.name, state.held)
      : state.restorer.end();
    state.released += delta;
    if (delta === "") return undefined;
    return {
      type: "response.function_call_arguments.delta",
      item_id: state.itemId,
      output_index: outputIndex,
      delta,
    };
  }

  #numbered(event: StreamEvent): StreamEvent {
    return { ...event, sequence_number: this.#sequence++ };
  }
}

function textKey(outputIndex: number, contentIndex: number): string {
  return `${outputIndex}:${contentIndex}`;
}
