import { describe, expect, it } from "vitest";
import type { Detector, DetectorFamily } from "../../core/detection.js";
import type { SafetyPolicyConfig } from "../../core/gateway-config.js";
import { evaluatePolicies, type PolicyFinding, strongerFinding } from "./evaluate-policies.js";
import { type PolicyOutcome, summarizeOutcomes } from "./policy-outcomes.js";

const anyone = { models: [], keys: [], teams: [], projects: [], riskTiers: [] };

/** A test detector: every match of the pattern, with a fixed score; it counts its calls. */
function patternDetector(family: DetectorFamily, type: string, pattern: RegExp, score: number) {
  const detector = {
    family,
    types: [type],
    calls: 0,
    detect(text: string) {
      detector.calls += 1;
      return [...text.matchAll(pattern)].map((match) => ({
        family,
        type,
        start: match.index,
        end: match.index + match[0].length,
        score,
      }));
    },
  };
  return detector;
}

function policy(overrides: Partial<SafetyPolicyConfig>): SafetyPolicyConfig {
  return {
    name: "p",
    stages: ["input"],
    scope: anyone,
    detectors: ["pii"],
    types: [],
    minScore: 0.5,
    action: "mask",
    dryRun: false,
    ...overrides,
  };
}

describe("evaluatePolicies", () => {
  const email = patternDetector("pii", "EMAIL_ADDRESS", /\S+@\S+/g, 0.9);
  const weak = patternDetector("pii", "PERSON", /Ada/g, 0.3);
  const key = patternDetector("secrets", "API_KEY", /sk-\w+/g, 1);
  const detectors = new Map<DetectorFamily, readonly Detector[]>([
    ["pii", [email, weak]],
    ["secrets", [key]],
  ]);

  it("runs each family once, filters by type and score, and returns one finding per policy and detection", () => {
    email.calls = 0;
    const findings = evaluatePolicies(
      "Ada: ada@example.com sk-123",
      "input",
      [
        policy({ name: "mask-pii" }),
        policy({ name: "flag-people", types: ["PERSON"], minScore: 0.2, action: "flag" }),
        policy({ name: "block-keys", detectors: ["secrets", "pii"], types: ["API_KEY"], action: "block" }),
      ],
      detectors,
    );
    expect(email.calls).toBe(1);
    expect(findings.map((finding) => [finding.policy, finding.type, finding.start, finding.end])).toEqual([
      ["mask-pii", "EMAIL_ADDRESS", 5, 20],
      ["flag-people", "PERSON", 0, 3],
      ["block-keys", "API_KEY", 21, 27],
    ]);
  });

  it("finds nothing when no policy applies or a family has no detector", () => {
    expect(evaluatePolicies("ada@example.com", "input", [], detectors)).toEqual([]);
    expect(
      evaluatePolicies("ada@example.com", "input", [policy({ detectors: ["moderation"] })], detectors),
    ).toEqual([]);
  });
});

describe("strongerFinding", () => {
  const base: PolicyFinding = {
    policy: "p",
    stage: "input",
    family: "pii",
    type: "T",
    action: "mask",
    dryRun: false,
    start: 0,
    end: 4,
    score: 1,
  };
  it("prefers redact over mask, then the longer span", () => {
    expect(strongerFinding(base, { ...base, action: "redact", end: 2 }).action).toBe("redact");
    expect(strongerFinding({ ...base, action: "redact" }, { ...base, end: 9 }).action).toBe("redact");
    expect(strongerFinding(base, { ...base, type: "LONGER", end: 9 }).type).toBe("LONGER");
  });
});

describe("summarizeOutcomes", () => {
  it("adds counts per family and action, marking dry runs, and never includes values", () => {
    const outcome = (
      family: PolicyOutcome["family"],
      action: PolicyOutcome["action"],
      count: number,
      dryRun = false,
    ) => ({ policy: "p", stage: "input", family, type: "T", action, dryRun, count }) satisfies PolicyOutcome;
    expect(
      summarizeOutcomes([
        outcome("pii", "mask", 2),
        outcome("pii", "mask", 1),
        outcome("secrets", "block", 1, true),
      ]),
    ).toBe("pii.mask:3,secrets.would-block:1");
    expect(summarizeOutcomes([])).toBe("");
  });
});
