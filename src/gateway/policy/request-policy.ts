import type { Detection, Detector, DetectorFamily } from "../../core/detection.js";
import type { PolicyStage, ToolPolicyConfig } from "../../core/gateway-config.js";
import { GatewayError } from "../../core/gateway-error.js";
import { applySpans, mergeSpans } from "../../safety/policy/apply-spans.js";
import {
  evaluatePolicies,
  type PolicyFinding,
  strongerFinding,
} from "../../safety/policy/evaluate-policies.js";
import { MaskVault } from "../../safety/policy/mask-vault.js";
import { type PolicyOutcome, summarizeOutcomes } from "../../safety/policy/policy-outcomes.js";
import type { PoliciesByStage } from "../../safety/policy/select-policies.js";

export interface RequestPolicyOptions {
  readonly byStage: PoliciesByStage;
  readonly toolRules: readonly ToolPolicyConfig[];
  readonly detectors: ReadonlyMap<DetectorFamily, readonly Detector[]>;
  /** Told of each outcome as it is recorded (the audit hook). */
  readonly onOutcome?: ((outcome: PolicyOutcome) => void) | undefined;
  /** Added to the system prompt so that a `canary` policy can tell when the prompt leaks into an answer. */
  readonly canaryLine?: string | undefined;
}

/** What replaces a redacted value: its type, never any of its characters. */
export function redactionMarker(type: string): string {
  return `[REDACTED:${type}]`;
}

/**
 * The policies that apply to one request, its mask vault and what the policies did. It lives exactly as long
 * as the request; the vault's originals are never logged or copied elsewhere.
 */
export class RequestPolicy {
  readonly byStage: PoliciesByStage;
  readonly toolRules: readonly ToolPolicyConfig[];
  readonly vault = new MaskVault();
  readonly outcomes: PolicyOutcome[] = [];
  readonly canaryLine: string | undefined;
  #detectors: ReadonlyMap<DetectorFamily, readonly Detector[]>;
  readonly #onOutcome: ((outcome: PolicyOutcome) => void) | undefined;

  constructor(options: RequestPolicyOptions) {
    this.byStage = options.byStage;
    this.toolRules = options.toolRules;
    this.#detectors = options.detectors;
    this.#onOutcome = options.onOutcome;
    this.canaryLine = options.canaryLine;
  }

  /** Whether the answer needs looking at: output or tool-call policies, tool rules, or masks to undo. */
  get watchesOutput(): boolean {
    return (
      this.byStage.output.length > 0 ||
      this.byStage["tool-call"].length > 0 ||
      this.toolRules.length > 0 ||
      this.vault.size > 0
    );
  }

  /**
   * Detections found for these texts elsewhere (a remote moderation call) stand in for the family's own
   * detectors on exactly these texts; any other text still goes to the family's detectors.
   */
  useDetections(family: DetectorFamily, byText: ReadonlyMap<string, readonly Detection[]>): void {
    const fallback = this.#detectors.get(family) ?? [];
    const lookup: Detector = {
      family,
      types: fallback.flatMap((detector) => detector.types),
      detect: (text) => {
        const known = byText.get(text);
        return known === undefined ? fallback.flatMap((detector) => detector.detect(text)) : [...known];
      },
    };
    this.#detectors = new Map([...this.#detectors, [family, [lookup]]]);
  }

  findings(text: string, stage: PolicyStage): PolicyFinding[] {
    return evaluatePolicies(text, stage, this.byStage[stage], this.#detectors);
  }

  /**
   * Applies a stage's policies to one whole text: records every finding, throws for a block (naming the policy,
   * the detection type and `param`, never the value), and returns the text with redactions and masks applied.
   */
  applyToText(text: string, stage: PolicyStage, param: string): string {
    const findings = this.findings(text, stage);
    if (findings.length === 0) return text;
    this.record(findings);
    const block = findings.find((finding) => finding.action === "block" && !finding.dryRun);
    if (block !== undefined) throw policyBlockError(block, param);
    const edits = findings.filter(
      (finding) => (finding.action === "redact" || finding.action === "mask") && !finding.dryRun,
    );
    return applySpans(text, mergeSpans(edits, strongerFinding), (finding, covered) =>
      finding.action === "mask" ? this.vault.mask(finding.type, covered) : redactionMarker(finding.type),
    );
  }

  /** Records findings as outcomes, one per policy, type, action and dry-run flag. */
  record(findings: readonly PolicyFinding[]): void {
    const groups = new Map<string, PolicyOutcome>();
    for (const finding of findings) {
      const key = `${finding.policy}\u0000${finding.type}\u0000${finding.stage}`;
      const known = groups.get(key);
      groups.set(key, {
        policy: finding.policy,
        stage: finding.stage,
        family: finding.family,
        type: finding.type,
        action: finding.action,
        dryRun: finding.dryRun,
        count: (known?.count ?? 0) + 1,
      });
    }
    for (const outcome of groups.values()) {
      this.outcomes.push(outcome);
      this.#onOutcome?.(outcome);
    }
  }

  /** The summary for the request log: every outcome, `log` included. */
  get summary(): string {
    return summarizeOutcomes(this.outcomes);
  }

  /** The summary for the response header: what the caller may see, i.e. everything but `log`. */
  get headerSummary(): string {
    return summarizeOutcomes(this.outcomes.filter((outcome) => outcome.action !== "log"));
  }
}

/** The error for a blocking finding: input stages answer 400 before the model is called, output stages 422. */
export function policyBlockError(finding: PolicyFinding, param: string): GatewayError {
  const where = param === "" ? "" : ` in ${param}`;
  const message = `Blocked by safety policy '${finding.policy}': ${finding.family} detection ${finding.type}${where}.`;
  const isInput = finding.stage === "input" || finding.stage === "indirect";
  return isInput
    ? new GatewayError("GW_ERR_POLICY_BLOCKED", message, { param })
    : new GatewayError("GW_ERR_POLICY_OUTPUT_BLOCKED", message);
}
