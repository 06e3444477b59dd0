import { describe, expect, it } from "vitest";
import { anyone, testPolicy, testSafety } from "../../../test/support/safety-test-policies.js";
import type { ToolPolicyConfig } from "../../core/gateway-config.js";
import { GatewayError } from "../../core/gateway-error.js";
import { AnthropicStreamGuard } from "./anthropic-stream-guard.js";
import { outputHoldBackChars } from "./guarded-output-text.js";
import type { RequestPolicy } from "./request-policy.js";

type StreamEvent = Record<string, unknown>;

const email = "ada@example.com";

function maskedPolicy(options: { output?: boolean; tools?: ToolPolicyConfig[] } = {}): RequestPolicy {
  const policies = [testPolicy({ action: "mask" })];
  if (options.output === true) {
    policies.push(
      testPolicy({ name: "no-keys", action: "block", stages: ["output"], detectors: ["secrets"] }),
    );
  }
  const policy = testSafety({ policies, tools: options.tools ?? [] }).forRequest({ kind: "master" }, "m", {});
  if (policy === undefined) throw new Error("expected policies in scope");
  policy.applyToText(`write to ${email}`, "input", "");
  return policy;
}

const textStart = (index: number): StreamEvent => ({
  type: "content_block_start",
  index,
  content_block: { type: "text", text: "" },
});
const toolStart = (index: number, name: string): StreamEvent => ({
  type: "content_block_start",
  index,
  content_block: { type: "tool_use", id: `toolu_${index}`, name, input: {} },
});
const textDelta = (index: number, text: string): StreamEvent => ({
  type: "content_block_delta",
  index,
  delta: { type: "text_delta", text },
});
const jsonDelta = (index: number, partial_json: string): StreamEvent => ({
  type: "content_block_delta",
  index,
  delta: { type: "input_json_delta", partial_json },
});
const stop = (index: number): StreamEvent => ({ type: "content_block_stop", index });

/** What a client assembles: text and tool input JSON per block index. */
function assemble(events: readonly StreamEvent[]): Map<number, string> {
  const blocks = new Map<number, string>();
  for (const event of events) {
    if (event.type !== "content_block_delta") continue;
    const delta = event.delta as { text?: string; partial_json?: string };
    const index = event.index as number;
    blocks.set(index, (blocks.get(index) ?? "") + (delta.text ?? delta.partial_json ?? ""));
  }
  return blocks;
}

function feed(guard: AnthropicStreamGuard, events: readonly StreamEvent[]): StreamEvent[] {
  return [...events.flatMap((event) => guard.chunk(event)), ...guard.end()];
}

describe("AnthropicStreamGuard", () => {
  const inputJson = JSON.stringify({ to: "⟦EMAIL_ADDRESS_1⟧", note: "x" });

  it.each(Array.from({ length: inputJson.length + 1 }, (_, offset) => offset))(
    "restores a placeholder in input_json_delta pieces split at offset %i",
    (offset) => {
      const guard = new AnthropicStreamGuard(maskedPolicy(), {});
      const sent = feed(guard, [
        toolStart(0, "send"),
        jsonDelta(0, inputJson.slice(0, offset)),
        jsonDelta(0, inputJson.slice(offset)),
        stop(0),
      ]);
      expect(JSON.parse(assemble(sent).get(0) ?? "")).toEqual({ to: email, note: "x" });
      expect(sent.at(-1)).toEqual(stop(0));
    },
  );

  it("keeps blocks apart and releases held text just before each block's stop", () => {
    const guard = new AnthropicStreamGuard(maskedPolicy(), {});
    const sent = feed(guard, [
      textStart(0),
      textDelta(0, "to ⟦EMAIL_"),
      textDelta(0, "ADDRESS_1⟧ ⟦EMAIL"),
      stop(0),
      textStart(1),
      textDelta(1, "also ⟦EMAIL_ADD"),
      textDelta(1, "RESS_1⟧!"),
      stop(1),
    ]);
    expect(assemble(sent)).toEqual(
      new Map([
        [0, `to ${email} ⟦EMAIL`],
        [1, `also ${email}!`],
      ]),
    );
    const firstStop = sent.findIndex((event) => event.type === "content_block_stop");
    expect(assemble(sent.slice(0, firstStop)).get(0)).toBe(`to ${email} ⟦EMAIL`);
    expect(sent.filter((event) => JSON.stringify(event).includes("⟦EMAIL_"))).toEqual([]);
  });

  it("drops deltas left empty and passes thinking, signatures and message events unchanged", () => {
    const guard = new AnthropicStreamGuard(maskedPolicy(), {});
    const thinking = {
      type: "content_block_delta",
      index: 0,
      delta: { type: "thinking_delta", thinking: "⟦EMAIL" },
    };
    const messageDelta = {
      type: "message_delta",
      delta: { stop_reason: "end_turn" },
      usage: { output_tokens: 3 },
    };
    expect(guard.chunk(thinking)).toEqual([thinking]);
    expect(guard.chunk(textStart(1))).toEqual([textStart(1)]);
    expect(guard.chunk(textDelta(1, "⟦EMAIL_AD"))).toEqual([]);
    expect(guard.chunk(messageDelta)).toEqual([messageDelta]);
    expect(guard.chunk({ type: "ping" })).toEqual([{ type: "ping" }]);
  });

  it("releases what a block that never stopped still holds at the end", () => {
    const guard = new AnthropicStreamGuard(maskedPolicy(), {});
    expect(guard.chunk(textStart(0))).toHaveLength(1);
    expect(guard.chunk(textDelta(0, "bye ⟦EMA"))).toEqual([textDelta(0, "bye ")]);
    expect(guard.end()).toEqual([textDelta(0, "⟦EMA")]);
    expect(guard.end()).toEqual([]);
  });

  it("stops with an output block before any part of the value is released", () => {
    const guard = new AnthropicStreamGuard(maskedPolicy({ output: true }), {});
    const released: StreamEvent[] = [];
    const failure = (() => {
      try {
        for (const event of [
          textStart(0),
          ...["Your key: s", "k-abc", "def123", " enjoy"].map((text) => textDelta(0, text)),
        ])
          released.push(...guard.chunk(event));
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(failure).toBeInstanceOf(GatewayError);
    expect((failure as GatewayError).code).toBe("GW_ERR_POLICY_OUTPUT_BLOCKED");
    expect(assemble(released).get(0) ?? "").not.toContain("sk-");
  });

  it("delays text by at most the hold-back when output policies apply", () => {
    const guard = new AnthropicStreamGuard(maskedPolicy({ output: true }), {});
    const long = "a".repeat(outputHoldBackChars * 3);
    guard.chunk(textStart(0));
    expect(assemble(guard.chunk(textDelta(0, long))).get(0)).toHaveLength(long.length - outputHoldBackChars);
  });

  it("holds tool input until the block stops when it must be validated, then releases it whole", () => {
    const tools: ToolPolicyConfig[] = [{ scope: anyone, allow: ["send"], validateArguments: true }];
    const requestBody = { tools: [{ name: "send", input_schema: { type: "object", required: ["to"] } }] };
    const guard = new AnthropicStreamGuard(maskedPolicy({ tools }), requestBody);
    const early = [
      toolStart(2, "send"),
      jsonDelta(2, ""),
      jsonDelta(2, '{"to":'),
      jsonDelta(2, '"⟦EMAIL_ADDRESS_1⟧"}'),
    ].flatMap((event) => guard.chunk(event));
    expect(early).toEqual([toolStart(2, "send")]);
    const rest = guard.chunk(stop(2));
    expect(rest).toEqual([jsonDelta(2, JSON.stringify({ to: email })), stop(2)]);
  });

  it("validates a tool with no input deltas as `{}` and sends no input of its own", () => {
    const tools: ToolPolicyConfig[] = [{ scope: anyone, allow: ["send", "ping"], validateArguments: true }];
    const requestBody = {
      tools: [
        { name: "send", input_schema: { type: "object", required: ["to"] } },
        { name: "ping", input_schema: { type: "object" } },
      ],
    };
    const guard = new AnthropicStreamGuard(maskedPolicy({ tools }), requestBody);
    expect(feed(guard, [toolStart(0, "ping"), stop(0)])).toEqual([toolStart(0, "ping"), stop(0)]);
    expect(() => feed(guard, [toolStart(1, "send"), stop(1)])).toThrow("required property 'to'");
  });

  it("blocks a tool outside the allowlist at its content_block_start", () => {
    const tools: ToolPolicyConfig[] = [{ scope: anyone, allow: ["send"], validateArguments: false }];
    const guard = new AnthropicStreamGuard(maskedPolicy({ tools }), {});
    expect(() => guard.chunk(toolStart(0, "rm_rf"))).toThrow("'rm_rf'");
  });
});
