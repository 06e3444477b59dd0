import {
  type AlertSeverity,
  alertSeverities,
  type BurnRateCondition,
  burnRateConditions,
} from "./burn-rate-alerts.js";
import type { SloStatus } from "./slo-tracker.js";

/** One alert changing state: it starts firing, or it stops. */
export interface SloAlertEvent {
  readonly action: "trigger" | "resolve";
  readonly severity: AlertSeverity;
  readonly status: SloStatus;
  /** The conditions holding now (triggers), or the ones that held when it fired (resolves). */
  readonly conditions: readonly BurnRateCondition[];
  /** Epoch ms the alert started firing. */
  readonly since: number;
  /** Epoch ms of this evaluation. */
  readonly at: number;
  /** Stable per SLO and severity: receivers (PagerDuty) group trigger and resolve by it. */
  readonly dedupKey: string;
}

/** Whether each condition holds for this status: both its windows burn faster than its factor. */
export function holdingConditions(status: SloStatus, severity: AlertSeverity): BurnRateCondition[] {
  return burnRateConditions.filter(
    (condition) =>
      condition.severity === severity &&
      (status.burnRates[condition.longWindow] as number) > condition.factor &&
      (status.burnRates[condition.shortWindow] as number) > condition.factor,
  );
}

/**
 * Turns evaluations into alert events: an alert triggers once when its conditions start to hold, stays quiet
 * while they keep holding, and resolves once when none holds any more.
 */
export class SloAlerter {
  readonly #active = new Map<string, { since: number; conditions: readonly BurnRateCondition[] }>();

  evaluate(statuses: readonly SloStatus[], at: number): SloAlertEvent[] {
    const events: SloAlertEvent[] = [];
    for (const status of statuses) {
      for (const severity of alertSeverities) {
        const dedupKey = `switchyard/slo/${status.slo.name}/${severity}`;
        const holding = holdingConditions(status, severity);
        const active = this.#active.get(dedupKey);
        if (holding.length > 0 && active === undefined) {
          this.#active.set(dedupKey, { since: at, conditions: holding });
          events.push({ action: "trigger", severity, status, conditions: holding, since: at, at, dedupKey });
        } else if (holding.length === 0 && active !== undefined) {
          this.#active.delete(dedupKey);
          events.push({
            action: "resolve",
            severity,
            status,
            conditions: active.conditions,
            since: active.since,
            at,
            dedupKey,
          });
        }
      }
    }
    return events;
  }
}
