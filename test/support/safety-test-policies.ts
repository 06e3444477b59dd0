import type { Detection, Detector, DetectorFamily } from "../../src/core/detection.js";
import type { PolicyScope, SafetyConfig, SafetyPolicyConfig } from "../../src/core/gateway-config.js";
import { SafetyPolicies } from "../../src/gateway/policy/safety-policies.js";

/** Helpers for the gateway's policy tests: regex detectors and compact policy definitions. */
export const anyone: PolicyScope = { models: [], keys: [], teams: [], projects: [], riskTiers: [] };

export function regexDetector(family: DetectorFamily, type: string, pattern: RegExp): Detector {
  return {
    family,
    types: [type],
    detect: (text): Detection[] =>
      [...text.matchAll(pattern)].map((match) => ({
        family,
        type,
        start: match.index,
        end: match.index + match[0].length,
        score: 0.9,
      })),
  };
}

export const testDetectors: readonly Detector[] = [
  regexDetector("pii", "EMAIL_ADDRESS", /[\w.+-]+@[\w-]+\.[a-z]{2,}/g),
  regexDetector("secrets", "API_KEY", /sk-[A-Za-z0-9]{6,}/g),
];

export function testPolicy(
  overrides: Partial<SafetyPolicyConfig> & Pick<SafetyPolicyConfig, "action">,
): SafetyPolicyConfig {
  return {
    name: `${overrides.action}-policy`,
    stages: ["input"],
    scope: anyone,
    detectors: ["pii"],
    types: [],
    minScore: 0.5,
    dryRun: false,
    ...overrides,
  };
}

export function testSafety(config: Partial<SafetyConfig>): SafetyPolicies {
  return new SafetyPolicies({ config: { policies: [], tools: [], ...config }, detectors: testDetectors });
}
