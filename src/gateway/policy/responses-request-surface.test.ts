import { describe, expect, it } from "vitest";
import { recordingVisitor } from "../../../test/support/recording-text-visitor.js";
import { testPolicy, testSafety } from "../../../test/support/safety-test-policies.js";
import { collectTexts } from "./chat-surface.js";
import { responsesRequestSurface } from "./responses-request-surface.js";

const image = { type: "input_image", image_url: "data:image/png;base64,AAAA", detail: "auto" };
const body = {
  model: "gpt-4.1",
  instructions: "be kind",
  input: [
    { role: "user", content: "plain question" },
    { type: "message", role: "user", content: [{ type: "input_text", text: "look" }, image] },
    { type: "reasoning", id: "rs_1", summary: [{ type: "summary_text", text: "thought" }] },
    { type: "function_call", call_id: "c1", name: "lookup", arguments: '{"who":"ada","n":1}' },
    { type: "function_call_output", call_id: "c1", output: "found" },
    { type: "function_call_output", call_id: "c2", output: [{ type: "input_text", text: "parts" }, image] },
    {
      type: "message",
      role: "assistant",
      id: "msg_1",
      status: "completed",
      content: [{ type: "output_text", text: "earlier answer", annotations: [] }],
    },
  ],
};

describe("responsesRequestSurface", () => {
  it("visits instructions, message parts, function_call arguments and tool outputs (indirect)", () => {
    const { visitor, visited } = recordingVisitor();
    const rewritten = responsesRequestSurface.rewriteTexts(body, visitor);
    expect(visited).toEqual([
      { kind: "text", text: "be kind", stage: "input", param: "instructions" },
      { kind: "text", text: "plain question", stage: "input", param: "input.0.content" },
      { kind: "text", text: "look", stage: "input", param: "input.1.content.0.text" },
      { kind: "value", text: "ada", stage: "input", param: "input.3.arguments" },
      { kind: "text", text: "found", stage: "indirect", param: "input.4.output" },
      { kind: "text", text: "parts", stage: "indirect", param: "input.5.output.0.text" },
      { kind: "text", text: "earlier answer", stage: "input", param: "input.6.content.0.text" },
    ]);
    const input = rewritten.input as Record<string, unknown>[];
    expect(input[1]?.content).toEqual([{ type: "input_text", text: "<look>" }, image]);
    expect(input[2]).toEqual(body.input[2]);
    expect(input[3]?.arguments).toBe('{"who":"<ada>","n":1}');
    expect(input[5]?.output).toEqual([{ type: "input_text", text: "<parts>" }, image]);
  });

  it("visits a string input as `input`", () => {
    const { visitor, visited } = recordingVisitor();
    expect(responsesRequestSurface.rewriteTexts({ input: "hi" }, visitor).input).toBe("<hi>");
    expect(visited).toEqual([{ kind: "text", text: "hi", stage: "input", param: "input" }]);
  });

  it("masks through a request policy like the gateway's input step does", () => {
    const policy = testSafety({
      policies: [testPolicy({ action: "mask", stages: ["input", "indirect"] })],
    }).forRequest({ kind: "master" }, "m", {});
    if (policy === undefined) throw new Error("expected policies in scope");
    const apply = (text: string, stage: "input" | "indirect", param: string) =>
      policy.applyToText(text, stage, param);
    const masked = responsesRequestSurface.rewriteTexts(
      {
        instructions: "Trust ada@example.com.",
        input: [
          { type: "function_call", call_id: "c", name: "send", arguments: '{"to":"ada@example.com"}' },
          { type: "function_call_output", call_id: "c", output: "sent to bob@example.org" },
        ],
      },
      { text: apply, value: apply },
    );
    expect(masked).toEqual({
      instructions: "Trust ⟦EMAIL_ADDRESS_1⟧.",
      input: [
        { type: "function_call", call_id: "c", name: "send", arguments: '{"to":"⟦EMAIL_ADDRESS_1⟧"}' },
        { type: "function_call_output", call_id: "c", output: "sent to ⟦EMAIL_ADDRESS_2⟧" },
      ],
    });
  });

  it("collects the prose texts for moderation, not function arguments", () => {
    expect(collectTexts(responsesRequestSurface, body)).toEqual([
      "be kind",
      "plain question",
      "look",
      "found",
      "parts",
      "earlier answer",
    ]);
  });

  it("puts the canary in front of instructions", () => {
    expect(responsesRequestSurface.addCanary(body, "MARK").instructions).toBe("MARK\n\nbe kind");
    expect(responsesRequestSurface.addCanary({ input: "hi" }, "MARK").instructions).toBe("MARK");
  });
});
