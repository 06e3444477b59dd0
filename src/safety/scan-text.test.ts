import { describe, expect, it } from "vitest";
import type { Detection, Detector, DetectorFamily } from "../core/detection.js";
import type { SafetyPolicyConfig } from "../core/gateway-config.js";
import { createTextScanner } from "./scan-text.js";

function wordDetector(family: DetectorFamily, type: string, word: string, score: number): Detector {
  return {
    family,
    types: [type],
    detect: (text): Detection[] => {
      const start = text.indexOf(word);
      return start < 0 ? [] : [{ family, type, start, end: start + word.length, score }];
    },
  };
}

const detectors = [
  wordDetector("pii", "EMAIL_ADDRESS", "ann@example.com", 0.9),
  wordDetector("secrets", "API_KEY", "sk-secret", 0.6),
];

function policy(overrides: Partial<SafetyPolicyConfig>): SafetyPolicyConfig {
  return {
    name: "p",
    stages: ["input"],
    scope: { models: [], keys: [], teams: [], projects: [], riskTiers: [] },
    detectors: ["pii"],
    types: [],
    minScore: 0.5,
    action: "flag",
    dryRun: false,
    ...overrides,
  };
}

describe("createTextScanner", () => {
  it("reports every detection with the most severe action a policy takes on it", () => {
    const scanner = createTextScanner({
      detectors,
      stage: "input",
      policies: [
        policy({ name: "mask-pii", action: "mask" }),
        policy({ name: "block-pii", action: "block", types: ["EMAIL_ADDRESS"] }),
        policy({ name: "flag-secrets", detectors: ["secrets"], action: "flag" }),
      ],
    });
    const result = scanner.scan("write to ann@example.com with sk-secret");
    expect(result.action).toBe("block");
    expect(result.detections).toEqual([
      {
        family: "pii",
        type: "EMAIL_ADDRESS",
        start: 9,
        end: 24,
        score: 0.9,
        action: "block",
        policy: "block-pii",
        dryRun: false,
      },
      {
        family: "secrets",
        type: "API_KEY",
        start: 30,
        end: 39,
        score: 0.6,
        action: "flag",
        policy: "flag-secrets",
        dryRun: false,
      },
    ]);
  });

  it("leaves detections below a policy's minimum score without an action", () => {
    const scanner = createTextScanner({
      detectors,
      stage: "input",
      policies: [policy({ detectors: ["secrets"], action: "block", minScore: 0.7 })],
    });
    const result = scanner.scan("sk-secret");
    expect(result.detections).toMatchObject([{ type: "API_KEY", action: null, policy: null }]);
    expect(result.action).toBeNull();
  });

  it("shows dry-run actions on the detection but not as the text's action", () => {
    const scanner = createTextScanner({
      detectors,
      stage: "input",
      policies: [policy({ action: "block", dryRun: true })],
    });
    const result = scanner.scan("ann@example.com");
    expect(result.detections).toMatchObject([{ action: "block", dryRun: true }]);
    expect(result.action).toBeNull();
  });

  it("reports nothing for a clean text, and ignores policies of families it does not scan", () => {
    const scanner = createTextScanner({
      detectors: [detectors[0] as Detector],
      stage: "input",
      policies: [policy({ detectors: ["injection"], action: "block" })],
    });
    expect(scanner.scan("nothing to see")).toEqual({ detections: [], action: null });
  });
});
