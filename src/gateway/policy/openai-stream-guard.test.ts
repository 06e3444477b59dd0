import { describe, expect, it } from "vitest";
import { anyone, testPolicy, testSafety } from "../../../test/support/safety-test-policies.js";
import type { ToolPolicyConfig } from "../../core/gateway-config.js";
import { GatewayError } from "../../core/gateway-error.js";
import { OpenAiStreamGuard, outputHoldBackChars } from "./openai-stream-guard.js";
import type { RequestPolicy } from "./request-policy.js";

type Chunk = Record<string, unknown>;

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

function chunk(choiceIndex: number, delta: Chunk, finishReason: string | null = null): Chunk {
  return {
    id: "c",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: choiceIndex, delta, finish_reason: finishReason }],
  };
}

/** What a client assembles from the chunks: text and tool arguments per choice. */
function assemble(chunks: readonly Chunk[]) {
  const text = new Map<number, string>();
  const args = new Map<number, string>();
  for (const sent of chunks) {
    for (const choice of sent.choices as { index: number; delta: Chunk }[]) {
      const delta = choice.delta;
      if (typeof delta.content === "string")
        text.set(choice.index, (text.get(choice.index) ?? "") + delta.content);
      for (const call of (delta.tool_calls ?? []) as { function?: { arguments?: string } }[]) {
        args.set(choice.index, (args.get(choice.index) ?? "") + (call.function?.arguments ?? ""));
      }
    }
  }
  return { text, args };
}

function feed(guard: OpenAiStreamGuard, chunks: readonly Chunk[]): Chunk[] {
  return [...chunks.flatMap((each) => guard.chunk(each)), ...guard.end()];
}

describe("OpenAiStreamGuard", () => {
  const argumentsText = JSON.stringify({ to: "⟦EMAIL_ADDRESS_1⟧", note: "x" });

  it.each(Array.from({ length: argumentsText.length + 1 }, (_, offset) => offset))(
    "restores a placeholder in tool-call arguments split at offset %i",
    (offset) => {
      const guard = new OpenAiStreamGuard(maskedPolicy(), {});
      const sent = feed(guard, [
        chunk(0, { tool_calls: [{ index: 0, id: "t", function: { name: "send", arguments: "" } }] }),
        chunk(0, { tool_calls: [{ index: 0, function: { arguments: argumentsText.slice(0, offset) } }] }),
        chunk(0, { tool_calls: [{ index: 0, function: { arguments: argumentsText.slice(offset) } }] }),
        chunk(0, {}, "tool_calls"),
      ]);
      expect(JSON.parse(assemble(sent).args.get(0) ?? "")).toEqual({ to: email, note: "x" });
      expect(sent.at(-1)?.choices).toEqual([{ index: 0, delta: {}, finish_reason: "tool_calls" }]);
      expect(
        sent.filter((each) => JSON.stringify(each).includes('"finish_reason":"tool_calls"')),
      ).toHaveLength(1);
    },
  );

  it("keeps choices apart and releases held text before each choice's finish chunk", () => {
    const guard = new OpenAiStreamGuard(maskedPolicy(), {});
    const sent = feed(guard, [
      chunk(0, { content: "to ⟦EMAIL_" }),
      chunk(1, { content: "also ⟦EMAIL_ADD" }),
      chunk(0, { content: "ADDRESS_1⟧ ⟦EMAIL" }, "stop"),
      chunk(1, { content: "RESS_1⟧!" }),
    ]);
    const { text } = assemble(sent);
    expect(text.get(0)).toBe(`to ${email} ⟦EMAIL`);
    expect(text.get(1)).toBe(`also ${email}!`);
    const finishAt = sent.findIndex(
      (each) => (each.choices as { finish_reason: unknown }[])[0]?.finish_reason === "stop",
    );
    expect(assemble(sent.slice(0, finishAt + 1)).text.get(0)).toBe(`to ${email} ⟦EMAIL`);
  });

  it("stops with an output block before any part of the value is released", () => {
    const guard = new OpenAiStreamGuard(maskedPolicy({ output: true }), {});
    const released: Chunk[] = [];
    const pieces = ["Your key: s", "k-abc", "def123", " enjoy"];
    const failure = (() => {
      try {
        for (const piece of pieces) released.push(...guard.chunk(chunk(0, { content: piece })));
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(failure).toBeInstanceOf(GatewayError);
    expect((failure as GatewayError).code).toBe("GW_ERR_POLICY_OUTPUT_BLOCKED");
    expect(assemble(released).text.get(0) ?? "").not.toContain("sk-");
  });

  it("delays text by at most the hold-back when output policies apply", () => {
    const guard = new OpenAiStreamGuard(maskedPolicy({ output: true }), {});
    const long = "a".repeat(outputHoldBackChars * 3);
    const released = guard.chunk(chunk(0, { content: long }));
    expect(assemble(released).text.get(0)).toHaveLength(long.length - outputHoldBackChars);
  });

  it("holds tool-call arguments until the call is complete when they must be validated, then releases them whole", () => {
    const tools: ToolPolicyConfig[] = [{ scope: anyone, allow: ["send"], validateArguments: true }];
    const requestBody = {
      tools: [
        { type: "function", function: { name: "send", parameters: { type: "object", required: ["to"] } } },
      ],
    };
    const guard = new OpenAiStreamGuard(maskedPolicy({ tools }), requestBody);
    const early = [
      ...guard.chunk(
        chunk(0, { tool_calls: [{ index: 0, function: { name: "send", arguments: '{"to":' } }] }),
      ),
      ...guard.chunk(
        chunk(0, { tool_calls: [{ index: 0, function: { arguments: '"⟦EMAIL_ADDRESS_1⟧"}' } }] }),
      ),
    ];
    expect(assemble(early).args.get(0) ?? "").toBe("");
    const rest = [...guard.chunk(chunk(0, {}, "tool_calls")), ...guard.end()];
    expect(JSON.parse(assemble(rest).args.get(0) ?? "")).toEqual({ to: email });
  });

  it("blocks a tool outside the allowlist as soon as its name arrives", () => {
    const tools: ToolPolicyConfig[] = [{ scope: anyone, allow: ["send"], validateArguments: false }];
    const guard = new OpenAiStreamGuard(maskedPolicy({ tools }), {});
    expect(() =>
      guard.chunk(chunk(0, { tool_calls: [{ index: 0, function: { name: "rm_rf", arguments: "" } }] })),
    ).toThrow("'rm_rf'");
  });
});
