import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { anyone, testPolicy, testSafety } from "../../../test/support/safety-test-policies.js";
import { responseObject } from "../../../test/support/scripted-responses-answers.js";
import type { SafetyPolicyConfig, ToolPolicyConfig } from "../../core/gateway-config.js";
import { GatewayError } from "../../core/gateway-error.js";
import { guardResponsesBody } from "./guard-responses-body.js";
import type { RequestPolicy } from "./request-policy.js";

const email = "ada@example.com";
const placeholder = "⟦EMAIL_ADDRESS_1⟧";

function requestPolicy(policies: SafetyPolicyConfig[], tools: ToolPolicyConfig[] = []): RequestPolicy {
  const policy = testSafety({ policies, tools }).forRequest({ kind: "master" }, "m", {});
  if (policy === undefined) throw new Error("expected policies in scope");
  policy.applyToText(`write to ${email}`, "input", "");
  return policy;
}

const mask = testPolicy({ action: "mask" });
const requestWithTool = {
  tools: [
    {
      type: "function",
      name: "send",
      parameters: { type: "object", properties: { to: { type: "string" } }, required: ["to"] },
      strict: false,
    },
  ],
};

function fixture(name: string): Record<string, unknown> {
  const url = new URL(`../../providers/openai-responses/__fixtures__/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as Record<string, unknown>;
}

const outputOf = (body: Record<string, unknown>) =>
  body.output as { type: string; content?: { text: string }[]; arguments?: string }[];

function thrown(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error("expected a GatewayError");
}

describe("guardResponsesBody", () => {
  it("restores masked values in output_text parts and, JSON-escaped, in function_call arguments", () => {
    const answer = responseObject({
      text: `Writing to ${placeholder}.`,
      tool: { name: "send", arguments: JSON.stringify({ to: placeholder }) },
    });
    const guarded = guardResponsesBody(answer, requestPolicy([mask]), requestWithTool);
    expect(outputOf(guarded)[0]?.content?.[0]?.text).toBe(`Writing to ${email}.`);
    expect(JSON.parse(outputOf(guarded)[1]?.arguments ?? "")).toEqual({ to: email });
    expect({ ...guarded, output: [] }).toEqual({ ...answer, output: [] });
  });

  it("leaves the recorded answers (reasoning items included) as they are when nothing is masked in them", () => {
    for (const name of ["response-text.json", "response-function-call.json"]) {
      const answer = fixture(name);
      expect(guardResponsesBody(answer, requestPolicy([mask]), requestWithTool)).toEqual(answer);
    }
  });

  it("applies the tool allowlist and validates arguments against the flat function tools of the request", () => {
    const rules = [{ scope: anyone, allow: ["send"], validateArguments: true }];
    const policy = requestPolicy([mask], rules);
    const other = responseObject({ text: "", tool: { name: "delete_account", arguments: "{}" } });
    expect(thrown(() => guardResponsesBody(other, policy, requestWithTool)).code).toBe(
      "GW_ERR_POLICY_TOOL_NOT_ALLOWED",
    );
    const missing = responseObject({ text: "", tool: { name: "send", arguments: "{}" } });
    const failure = thrown(() => guardResponsesBody(missing, policy, requestWithTool));
    expect(failure.code).toBe("GW_ERR_POLICY_TOOL_ARGUMENTS_INVALID");
    expect(failure.message).toContain("required property 'to'");
  });

  it("blocks output text under an output policy, naming the output part", () => {
    const block = testPolicy({
      name: "no-keys",
      action: "block",
      stages: ["output"],
      detectors: ["secrets"],
    });
    const answer = responseObject({ text: "the key is sk-ABCDEFGH1234" });
    const failure = thrown(() => guardResponsesBody(answer, requestPolicy([mask, block]), {}));
    expect(failure.code).toBe("GW_ERR_POLICY_OUTPUT_BLOCKED");
    expect(failure.message).toContain("no-keys");
    expect(failure.message).not.toContain("sk-ABCDEFGH1234");
  });
});
