import { describe, expect, it } from "vitest";
import { recordingVisitor } from "../../../test/support/recording-text-visitor.js";
import { anyone, testPolicy, testSafety } from "../../../test/support/safety-test-policies.js";
import type { SafetyPolicyConfig, ToolPolicyConfig } from "../../core/gateway-config.js";
import { GatewayError } from "../../core/gateway-error.js";
import { anthropicMessagesSurface, guardAnthropicBody } from "./anthropic-messages-surface.js";
import { collectTexts } from "./chat-surface.js";
import type { RequestPolicy } from "./request-policy.js";

const image = { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } };
const body = {
  model: "claude",
  max_tokens: 10,
  system: [{ type: "text", text: "be kind", cache_control: { type: "ephemeral" } }],
  messages: [
    { role: "user", content: "hello" },
    {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "hmm", signature: "sig" },
        { type: "text", text: "checking" },
        { type: "tool_use", id: "t1", name: "lookup", input: { who: "ada", tags: ["x"], n: 2 } },
      ],
    },
    {
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "t1", content: "plain result" },
        { type: "tool_result", tool_use_id: "t2", content: [{ type: "text", text: "block result" }, image] },
        image,
        { type: "document", source: { type: "text", media_type: "text/plain", data: "a memo" } },
      ],
    },
  ],
};

describe("anthropicMessagesSurface requests", () => {
  it("visits system, text, tool_use input (string by string), tool results (indirect) and text documents", () => {
    const { visitor, visited } = recordingVisitor();
    const rewritten = anthropicMessagesSurface.rewriteTexts(body, visitor);
    expect(visited).toEqual([
      { kind: "text", text: "be kind", stage: "input", param: "system.0.text" },
      { kind: "text", text: "hello", stage: "input", param: "messages.0.content" },
      { kind: "text", text: "checking", stage: "input", param: "messages.1.content.1.text" },
      { kind: "value", text: "ada", stage: "input", param: "messages.1.content.2.input" },
      { kind: "value", text: "x", stage: "input", param: "messages.1.content.2.input" },
      { kind: "text", text: "plain result", stage: "indirect", param: "messages.2.content.0.content" },
      { kind: "text", text: "block result", stage: "indirect", param: "messages.2.content.1.content.0.text" },
      { kind: "text", text: "a memo", stage: "input", param: "messages.2.content.3.source.data" },
    ]);
    expect(rewritten.system).toEqual([
      { type: "text", text: "<be kind>", cache_control: { type: "ephemeral" } },
    ]);
    const [, assistant, user] = rewritten.messages as { content: Record<string, unknown>[] }[];
    expect(assistant?.content[0]).toEqual({ type: "thinking", thinking: "hmm", signature: "sig" });
    expect(assistant?.content[2]?.input).toEqual({ who: "<ada>", tags: ["<x>"], n: 2 });
    expect(user?.content[1]?.content).toEqual([{ type: "text", text: "<block result>" }, image]);
    expect(user?.content[2]).toEqual(image);
  });

  it("visits a string system prompt as `system`", () => {
    const { visitor, visited } = recordingVisitor();
    const rewritten = anthropicMessagesSurface.rewriteTexts({ system: "rules", messages: [] }, visitor);
    expect(visited).toEqual([{ kind: "text", text: "rules", stage: "input", param: "system" }]);
    expect(rewritten.system).toBe("<rules>");
  });

  it("collects the prose texts for moderation, not tool input", () => {
    expect(collectTexts(anthropicMessagesSurface, body)).toEqual([
      "be kind",
      "hello",
      "checking",
      "plain result",
      "block result",
      "a memo",
    ]);
  });

  it.each([
    ["absent", undefined, [{ type: "text", text: "MARK" }]],
    [
      "a string",
      "rules",
      [
        { type: "text", text: "MARK" },
        { type: "text", text: "rules" },
      ],
    ],
    [
      "blocks",
      [{ type: "text", text: "rules" }],
      [
        { type: "text", text: "MARK" },
        { type: "text", text: "rules" },
      ],
    ],
  ])("puts the canary in front of system when system is %s", (_name, system, expected) => {
    const withCanary = anthropicMessagesSurface.addCanary(
      { messages: [], ...(system === undefined ? {} : { system }) },
      "MARK",
    );
    expect(withCanary.system).toEqual(expected);
  });
});

function requestPolicy(policies: SafetyPolicyConfig[], tools: ToolPolicyConfig[] = []): RequestPolicy {
  const policy = testSafety({ policies, tools }).forRequest({ kind: "master" }, "m", {});
  if (policy === undefined) throw new Error("expected policies in scope");
  return policy;
}

const toolRequest = {
  tools: [
    {
      name: "send",
      input_schema: { type: "object", properties: { to: { type: "string" } }, required: ["to"] },
    },
    { type: "web_search_20250305", name: "web_search" },
  ],
};

function message(...content: Record<string, unknown>[]): Record<string, unknown> {
  return { id: "msg_1", type: "message", role: "assistant", content, stop_reason: "end_turn" };
}

describe("guardAnthropicBody", () => {
  it("restores masked values in text blocks and into tool_use input objects", () => {
    const policy = requestPolicy([testPolicy({ action: "mask" })]);
    const placeholder = policy.applyToText("ada@example.com", "input", "");
    const guarded = guardAnthropicBody(
      message(
        { type: "text", text: `to ${placeholder}` },
        { type: "tool_use", id: "t", name: "send", input: { to: placeholder, cc: [placeholder] } },
      ),
      policy,
      toolRequest,
    );
    expect(guarded.content).toEqual([
      { type: "text", text: "to ada@example.com" },
      { type: "tool_use", id: "t", name: "send", input: { to: "ada@example.com", cc: ["ada@example.com"] } },
    ]);
  });

  it("redacts output text and blocks with the output error", () => {
    const redact = requestPolicy([testPolicy({ action: "redact", stages: ["output"] })]);
    const guarded = guardAnthropicBody(message({ type: "text", text: "mail x@y.io now" }), redact, {});
    expect(guarded.content).toEqual([{ type: "text", text: "mail [REDACTED:EMAIL_ADDRESS] now" }]);

    const block = requestPolicy([
      testPolicy({ action: "block", stages: ["output"], detectors: ["secrets"] }),
    ]);
    expect(() => guardAnthropicBody(message({ type: "text", text: "key sk-abcdefgh" }), block, {})).toThrow(
      expect.objectContaining({ code: "GW_ERR_POLICY_OUTPUT_BLOCKED" }),
    );
  });

  it("checks tool_use against the allowlist and the declared input_schema", () => {
    const rules: ToolPolicyConfig[] = [{ scope: anyone, allow: ["send"], validateArguments: true }];
    const policy = requestPolicy([], rules);
    const call = (name: string, input: unknown) =>
      guardAnthropicBody(message({ type: "tool_use", id: "t", name, input }), policy, toolRequest);
    expect(() => call("delete_everything", {})).toThrow(GatewayError);
    expect(() => call("delete_everything", {})).toThrow("not in the tool allowlist");
    expect(() => call("send", { cc: "x" })).toThrow("required property 'to'");
    expect(call("send", { to: "x" }).content).toEqual([
      { type: "tool_use", id: "t", name: "send", input: { to: "x" } },
    ]);
  });

  it("leaves an answer without content (an error object, a count) as it is", () => {
    const policy = requestPolicy([testPolicy({ action: "mask" })]);
    const answer = { input_tokens: 12 };
    expect(guardAnthropicBody(answer, policy, {})).toBe(answer);
  });
});
