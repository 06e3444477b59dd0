import { describe, expect, it } from "vitest";
import type { PolicyScope, SafetyPolicyConfig } from "../../core/gateway-config.js";
import { type PolicySubject, scopeMatches, selectPolicies, selectToolRules } from "./select-policies.js";

const anyone: PolicyScope = { models: [], keys: [], teams: [], projects: [], riskTiers: [] };
const subject: PolicySubject = {
  model: "gpt-4o",
  keyNames: ["key-1", "billing-bot"],
  team: "payments",
  project: undefined,
  riskTier: "high",
};

function policy(
  name: string,
  stages: SafetyPolicyConfig["stages"],
  scope: Partial<PolicyScope>,
): SafetyPolicyConfig {
  return {
    name,
    stages,
    scope: { ...anyone, ...scope },
    detectors: ["pii"],
    types: [],
    minScore: 0.5,
    action: "mask",
    dryRun: false,
  };
}

describe("scopeMatches", () => {
  it.each<[Partial<PolicyScope>, boolean]>([
    [{}, true],
    [{ models: ["gpt-4o", "other"] }, true],
    [{ models: ["other"] }, false],
    [{ keys: ["billing-bot"] }, true],
    [{ keys: ["key-2"] }, false],
    [{ teams: ["payments"] }, true],
    [{ projects: ["apollo"] }, false],
    [{ riskTiers: ["high"], models: ["gpt-4o"] }, true],
    [{ riskTiers: ["low"], models: ["gpt-4o"] }, false],
  ])("scope %j matches: %s", (scope, expected) => {
    expect(scopeMatches({ ...anyone, ...scope }, subject)).toBe(expected);
  });
});

describe("selectPolicies", () => {
  it("groups the policies in scope by stage", () => {
    const byStage = selectPolicies(
      [
        policy("a", ["input", "indirect"], {}),
        policy("b", ["output"], { models: ["other"] }),
        policy("c", ["output", "tool-call"], { teams: ["payments"] }),
      ],
      subject,
    );
    expect(
      Object.fromEntries(Object.entries(byStage).map(([stage, list]) => [stage, list.map((p) => p.name)])),
    ).toEqual({
      input: ["a"],
      indirect: ["a"],
      output: ["c"],
      "tool-call": ["c"],
    });
  });

  it("selects tool rules by scope", () => {
    const rules = [
      { scope: anyone, allow: ["search"], validateArguments: false },
      { scope: { ...anyone, riskTiers: ["low"] }, allow: [], validateArguments: true },
    ];
    expect(selectToolRules(rules, subject)).toEqual([rules[0]]);
  });
});
