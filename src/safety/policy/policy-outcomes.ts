import type { DetectorFamily } from "../../core/detection.js";
import type { PolicyAction, PolicyStage } from "../../core/gateway-config.js";

/** What one policy did (or, in dry-run, would have done) to one detection type in one request. */
export interface PolicyOutcome {
  readonly policy: string;
  readonly stage: PolicyStage;
  readonly family: DetectorFamily;
  readonly type: string;
  readonly action: PolicyAction;
  readonly dryRun: boolean;
  readonly count: number;
}

/**
 * A compact, value-free summary for the request log and the `x-switchyard-policy` header:
 * `pii.mask:3,secrets.block:1`; dry-run outcomes read `pii.would-mask:3`. Counts add up per family and action.
 */
export function summarizeOutcomes(outcomes: readonly PolicyOutcome[]): string {
  const totals = new Map<string, number>();
  for (const outcome of outcomes) {
    const label = `${outcome.family}.${outcome.dryRun ? "would-" : ""}${outcome.action}`;
    totals.set(label, (totals.get(label) ?? 0) + outcome.count);
  }
  return [...totals].map(([label, count]) => `${label}:${count}`).join(",");
}
