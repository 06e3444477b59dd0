import type { Detection, Detector } from "../core/detection.js";
import type { PolicyAction, PolicyStage, SafetyPolicyConfig } from "../core/gateway-config.js";
import { detectorsByFamily, evaluatePolicies, type PolicyFinding } from "./policy/evaluate-policies.js";

/** A detection with what the active policies would do about it (`null`: no policy acts on it). */
export interface ScannedDetection extends Detection {
  readonly action: PolicyAction | null;
  readonly policy: string | null;
  readonly dryRun: boolean;
}

export interface TextScan {
  readonly detections: ScannedDetection[];
  /** The strongest action any policy would take on this text, or null. */
  readonly action: PolicyAction | null;
}

export interface TextScanner {
  scan(text: string): TextScan;
}

export interface TextScannerOptions {
  readonly detectors: readonly Detector[];
  /** Policies in scope for the stage being simulated; their thresholds decide the actions. */
  readonly policies: readonly SafetyPolicyConfig[];
  readonly stage: PolicyStage;
}

/** Most to least severe; a detection several policies act on reports the most severe action. */
const actionRank: Readonly<Record<PolicyAction, number>> = { block: 5, redact: 4, mask: 3, flag: 2, log: 1 };

/**
 * What `switchyard scan` reports for one text: every detection of the chosen detectors (at their own
 * thresholds, as the gateway runs them) and the action the policies would take, using the gateway's own
 * policy evaluation so the two cannot disagree.
 */
export function createTextScanner(options: TextScannerOptions): TextScanner {
  const byFamily = detectorsByFamily(options.detectors);
  const families = new Set(byFamily.keys());
  // Only policies whose detectors are all scanned: a policy over a family left out cannot be simulated.
  const policies = options.policies.filter((policy) =>
    policy.detectors.some((family) => families.has(family)),
  );
  return {
    scan(text) {
      const detections = options.detectors.flatMap((detector) => detector.detect(text));
      const findings = evaluatePolicies(text, options.stage, policies, byFamily);
      const scanned = detections
        .sort((left, right) => left.start - right.start || right.end - left.end)
        .map((detection) => withAction(detection, findings));
      let action: PolicyAction | null = null;
      for (const detection of scanned) {
        if (detection.action !== null && !detection.dryRun && rank(detection.action) > rank(action))
          action = detection.action;
      }
      return { detections: scanned, action };
    },
  };
}

function rank(action: PolicyAction | null): number {
  return action === null ? 0 : actionRank[action];
}

function withAction(detection: Detection, findings: readonly PolicyFinding[]): ScannedDetection {
  let strongest: PolicyFinding | undefined;
  for (const finding of findings) {
    const same =
      finding.family === detection.family &&
      finding.type === detection.type &&
      finding.start === detection.start &&
      finding.end === detection.end;
    if (!same) continue;
    const better =
      strongest === undefined ||
      (strongest.dryRun && !finding.dryRun) ||
      (strongest.dryRun === finding.dryRun && rank(finding.action) > rank(strongest.action));
    if (better) strongest = finding;
  }
  return {
    ...detection,
    action: strongest?.action ?? null,
    policy: strongest?.policy ?? null,
    dryRun: strongest?.dryRun ?? false,
  };
}
