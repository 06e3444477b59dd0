/**
 * The multi-window, multi-burn-rate alerts of the SRE Workbook (chapter 5, "Alerting on SLOs"). An alert
 * condition holds when the error budget burns faster than `factor` times the sustainable rate over both its long
 * window (enough budget spent to matter) and its short window (still burning now, so it resolves quickly).
 */
export const burnRateWindows = {
  "5m": 5 * 60_000,
  "30m": 30 * 60_000,
  "1h": 60 * 60_000,
  "6h": 6 * 60 * 60_000,
  "3d": 3 * 24 * 60 * 60_000,
} as const;

export type BurnRateWindow = keyof typeof burnRateWindows;

export const burnRateWindowNames = Object.keys(burnRateWindows) as BurnRateWindow[];

export type AlertSeverity = "page" | "ticket";

export interface BurnRateCondition {
  readonly severity: AlertSeverity;
  readonly longWindow: BurnRateWindow;
  readonly shortWindow: BurnRateWindow;
  /** Multiple of the burn rate that would spend exactly the budget over the SLO window. */
  readonly factor: number;
}

/** A `page` fires while either page condition holds; a `ticket` while the ticket condition holds. */
export const burnRateConditions: readonly BurnRateCondition[] = [
  { severity: "page", longWindow: "1h", shortWindow: "5m", factor: 14.4 },
  { severity: "page", longWindow: "6h", shortWindow: "30m", factor: 6 },
  { severity: "ticket", longWindow: "3d", shortWindow: "6h", factor: 1 },
];

export const alertSeverities: readonly AlertSeverity[] = ["page", "ticket"];
