import type { Detection, Detector, DetectorFamily } from "../../core/detection.js";
import type { PolicyAction, PolicyStage, SafetyPolicyConfig } from "../../core/gateway-config.js";

/** Detectors grouped by family, the shape `evaluatePolicies` takes. */
export function detectorsByFamily(detectors: readonly Detector[]): Map<DetectorFamily, Detector[]> {
  const byFamily = new Map<DetectorFamily, Detector[]>();
  for (const detector of detectors) {
    byFamily.set(detector.family, [...(byFamily.get(detector.family) ?? []), detector]);
  }
  return byFamily;
}

/** One policy's verdict on one detection. */
export interface PolicyFinding {
  readonly policy: string;
  readonly stage: PolicyStage;
  readonly family: DetectorFamily;
  readonly type: string;
  readonly action: PolicyAction;
  readonly dryRun: boolean;
  readonly start: number;
  readonly end: number;
  readonly score: number;
}

/**
 * Runs each detector family the policies need once over the text, and returns every detection a policy acts
 * on (type listed, score at least `minScore`), one finding per policy and detection.
 */
export function evaluatePolicies(
  text: string,
  stage: PolicyStage,
  policies: readonly SafetyPolicyConfig[],
  detectors: ReadonlyMap<DetectorFamily, readonly Detector[]>,
): PolicyFinding[] {
  if (policies.length === 0 || text.length === 0) return [];
  const detectionsByFamily = new Map<DetectorFamily, Detection[]>();
  const findings: PolicyFinding[] = [];
  for (const policy of policies) {
    for (const family of policy.detectors) {
      let detections = detectionsByFamily.get(family);
      if (detections === undefined) {
        detections = (detectors.get(family) ?? []).flatMap((detector) => detector.detect(text));
        detectionsByFamily.set(family, detections);
      }
      for (const detection of detections) {
        if (detection.score < policy.minScore) continue;
        if (policy.types.length > 0 && !policy.types.includes(detection.type)) continue;
        findings.push({
          policy: policy.name,
          stage,
          family: detection.family,
          type: detection.type,
          action: policy.action,
          dryRun: policy.dryRun,
          start: detection.start,
          end: detection.end,
          score: detection.score,
        });
      }
    }
  }
  return findings;
}

/** Which finding describes a stretch covered by several: `redact` outranks `mask` (it cannot be undone). */
export function strongerFinding(kept: PolicyFinding, other: PolicyFinding): PolicyFinding {
  if (kept.action !== other.action)
    return kept.action === "redact" ? kept : other.action === "redact" ? other : kept;
  return other.end - other.start > kept.end - kept.start ? other : kept;
}
