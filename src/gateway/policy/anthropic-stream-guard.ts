import { StreamingRestorer } from "../../safety/policy/placeholder-restorer.js";
import type { StreamChunkGuard } from "../openai-stream-relay.js";
import { guardToolCall } from "./guard-chat-body.js";
import { GuardedOutputText } from "./guarded-output-text.js";
import type { RequestPolicy } from "./request-policy.js";
import { checkToolAllowed, declaredAnthropicToolSchemas } from "./tool-call-check.js";

type StreamEvent = Record<string, unknown>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

type BlockState =
  | { readonly kind: "text"; readonly text: GuardedOutputText; finished: boolean }
  | {
      readonly kind: "tool_use";
      readonly name: string;
      /** Input JSON held until the block is complete (when it must be checked as a whole). */
      held: string;
      readonly restorer: StreamingRestorer;
      finished: boolean;
    };

/**
 * Applies output and tool policies to an Anthropic Messages stream event by event and restores masked values,
 * per content block index: `text_delta` text is scanned with bounded look-back and released with a bounded
 * hold-back; `input_json_delta` pieces are restored (split anywhere) or, when tool calls must be checked whole,
 * held. What a block still holds is released in one extra `content_block_delta` just before its
 * `content_block_stop`. A tool's name is checked against the allowlist at its `content_block_start`. Deltas left
 * empty are dropped; other events (thinking, signatures, message events) pass unchanged. A block throws the
 * policy's `GatewayError`; the relay ends the stream with it as an `error` event.
 */
export class AnthropicStreamGuard implements StreamChunkGuard {
  readonly #policy: RequestPolicy;
  readonly #schemas: ReadonlyMap<string, unknown>;
  readonly #holdToolInput: boolean;
  readonly #blocks = new Map<number, BlockState>();

  constructor(policy: RequestPolicy, requestBody: Record<string, unknown>) {
    this.#policy = policy;
    this.#schemas = declaredAnthropicToolSchemas(requestBody);
    this.#holdToolInput =
      policy.byStage["tool-call"].length > 0 || policy.toolRules.some((rule) => rule.validateArguments);
  }

  chunk(event: StreamEvent): StreamEvent[] {
    const index = event.index;
    if (typeof index !== "number") return [event];
    if (event.type === "content_block_start" && isRecord(event.content_block)) {
      return this.#start(event, index, event.content_block);
    }
    if (event.type === "content_block_delta" && isRecord(event.delta))
      return this.#delta(event, index, event.delta);
    if (event.type === "content_block_stop") {
      const held = this.#finish(index);
      return held === undefined ? [event] : [held, event];
    }
    return [event];
  }

  /** Before `message_stop` (or at a clean end): releases what blocks that never stopped still hold. */
  end(): StreamEvent[] {
    const flushed: StreamEvent[] = [];
    for (const index of this.#blocks.keys()) {
      const held = this.#finish(index);
      if (held !== undefined) flushed.push(held);
    }
    return flushed;
  }

  #start(event: StreamEvent, index: number, block: Record<string, unknown>): StreamEvent[] {
    if (block.type === "text") {
      const state = this.#textBlock(index);
      if (typeof block.text !== "string" || block.text === "") return [event];
      return [{ ...event, content_block: { ...block, text: state.text.push(block.text) } }];
    }
    if (block.type === "tool_use") {
      const name = typeof block.name === "string" ? block.name : "";
      if (this.#policy.toolRules.length > 0) checkToolAllowed(this.#policy.toolRules, name);
      this.#blocks.set(index, {
        kind: "tool_use",
        name,
        held: "",
        restorer: new StreamingRestorer(this.#policy.vault, "json-string"),
        finished: false,
      });
    }
    return [event];
  }

  #delta(event: StreamEvent, index: number, delta: Record<string, unknown>): StreamEvent[] {
    if (delta.type === "text_delta" && typeof delta.text === "string") {
      const text = this.#textBlock(index).text.push(delta.text);
      return text === "" ? [] : [{ ...event, delta: { ...delta, text } }];
    }
    const state = this.#blocks.get(index);
    if (
      delta.type !== "input_json_delta" ||
      typeof delta.partial_json !== "string" ||
      state?.kind !== "tool_use"
    ) {
      return [event];
    }
    if (this.#holdToolInput) {
      state.held += delta.partial_json;
      return [];
    }
    const partial = state.restorer.push(delta.partial_json);
    return partial === "" ? [] : [{ ...event, delta: { ...delta, partial_json: partial } }];
  }

  #textBlock(index: number): Extract<BlockState, { kind: "text" }> {
    const known = this.#blocks.get(index);
    if (known?.kind === "text") return known;
    const state = { kind: "text" as const, text: new GuardedOutputText(this.#policy), finished: false };
    this.#blocks.set(index, state);
    return state;
  }

  /** Ends a block: scans and releases held text, or checks a held tool input; returns a delta carrying it. */
  #finish(index: number): StreamEvent | undefined {
    const state = this.#blocks.get(index);
    if (state === undefined || state.finished) return undefined;
    state.finished = true;
    if (state.kind === "text") {
      const text = state.text.end();
      return text === ""
        ? undefined
        : { type: "content_block_delta", index, delta: { type: "text_delta", text } };
    }
    // An empty input stream means `{}` (the `input` of the block's start).
    const rest = this.#holdToolInput
      ? guardToolCall(this.#policy, this.#schemas, state.name, state.held === "" ? "{}" : state.held)
      : state.restorer.end();
    const released = this.#holdToolInput && state.held === "" ? "" : rest;
    if (released === "") return undefined;
    return {
      type: "content_block_delta",
      index,
      delta: { type: "input_json_delta", partial_json: released },
    };
  }
}
