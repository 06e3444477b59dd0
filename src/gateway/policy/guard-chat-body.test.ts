import { describe, expect, it } from "vitest";
import { anyone, testPolicy, testSafety } from "../../../test/support/safety-test-policies.js";
import type { SafetyPolicyConfig, ToolPolicyConfig } from "../../core/gateway-config.js";
import { GatewayError } from "../../core/gateway-error.js";
import { guardChatBody } from "./guard-chat-body.js";
import type { RequestPolicy } from "./request-policy.js";

function requestPolicy(policies: SafetyPolicyConfig[], tools: ToolPolicyConfig[] = []): RequestPolicy {
  const policy = testSafety({ policies, tools }).forRequest({ kind: "master" }, "m", {});
  if (policy === undefined) throw new Error("expected policies in scope");
  return policy;
}

function answer(content: string | null, toolCall?: { name: string; arguments: string }) {
  const message: Record<string, unknown> = { role: "assistant", content };
  if (toolCall !== undefined) message.tool_calls = [{ id: "c", type: "function", function: toolCall }];
  return { id: "x", object: "chat.completion", choices: [{ index: 0, message, finish_reason: "stop" }] };
}

const messageOf = (body: Record<string, unknown>) =>
  (
    body.choices as {
      message: { content: string | null; tool_calls?: { function: { arguments: string } }[] };
    }[]
  )[0]?.message;

const requestWithTool = {
  tools: [
    {
      type: "function",
      function: {
        name: "send",
        parameters: { type: "object", properties: { to: { type: "string", format: "email" } } },
      },
    },
  ],
};

describe("guardChatBody", () => {
  it("restores masked values in text and, JSON-escaped, in tool-call arguments", () => {
    const policy = requestPolicy([testPolicy({ action: "mask" })]);
    // A value with JSON-special characters, as a name detector might mask it.
    expect(policy.vault.mask("PERSON", 'Ada "A\\B" Lovelace')).toBe("⟦PERSON_1⟧");
    const guarded = guardChatBody(
      answer("Done: ⟦PERSON_1⟧.", { name: "send", arguments: '{"to":"⟦PERSON_1⟧"}' }),
      policy,
      requestWithTool,
    );
    const message = messageOf(guarded);
    expect(message?.content).toBe('Done: Ada "A\\B" Lovelace.');
    expect(JSON.parse(message?.tool_calls?.[0]?.function.arguments ?? "")).toEqual({
      to: 'Ada "A\\B" Lovelace',
    });
  });

  it("redacts output text the model wrote, but not the caller's own restored values", () => {
    const policy = requestPolicy([
      testPolicy({ action: "mask" }),
      testPolicy({ name: "out", action: "redact", stages: ["output"] }),
    ]);
    policy.applyToText("me: ada@example.com", "input", "");
    const guarded = guardChatBody(answer("Ask bob@example.org or ⟦EMAIL_ADDRESS_1⟧"), policy, {});
    expect(messageOf(guarded)?.content).toBe("Ask [REDACTED:EMAIL_ADDRESS] or ada@example.com");
    expect(policy.summary).toBe("pii.mask:1,pii.redact:1");
  });

  it.each([
    [
      [{ scope: anyone, allow: ["other"], validateArguments: false }],
      '{"to":"a"}',
      "GW_ERR_POLICY_TOOL_NOT_ALLOWED",
    ],
    [
      [{ scope: anyone, allow: ["send"], validateArguments: true }],
      '{"to":1}',
      "GW_ERR_POLICY_TOOL_ARGUMENTS_INVALID",
    ],
  ])("enforces tool rules %#", (tools, argumentsText, code) => {
    const policy = requestPolicy([], tools);
    const failure = (() => {
      try {
        guardChatBody(answer(null, { name: "send", arguments: argumentsText }), policy, requestWithTool);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(failure).toBeInstanceOf(GatewayError);
    expect((failure as GatewayError).code).toBe(code);
  });

  it("blocks on tool-call policies over the arguments as the model wrote them", () => {
    const policy = requestPolicy([
      testPolicy({ name: "no-keys", action: "block", stages: ["tool-call"], detectors: ["secrets"] }),
    ]);
    expect(() =>
      guardChatBody(answer(null, { name: "send", arguments: '{"token":"sk-abcdef123"}' }), policy, {}),
    ).toThrow("Blocked by safety policy 'no-keys': secrets detection API_KEY.");
  });
});
