/** One counter's share of a reservation or an adjustment. Amounts are integer nano-USD (1e-9 USD). */
export interface CounterCharge {
  readonly counterKey: string;
  /** Added to the counter; negative to give back part of a reservation. */
  readonly amount: number;
  /** The reservation is refused when this counter would go past it; null never refuses. */
  readonly limit: number | null;
  /** The counter may be forgotten after this epoch ms (its period's end plus a margin). */
  readonly expiresAtMs: number;
}

export type ReserveOutcome =
  | { readonly accepted: true; readonly totals: readonly number[] }
  /** `refusedIndex` names the first charge that did not fit; `totals` are the counters as they stand. */
  | { readonly accepted: false; readonly refusedIndex: number; readonly totals: readonly number[] };

/**
 * Spend counters for budgets: in memory for one node, in Redis for many. `reserve` is atomic across all its
 * charges (all are added or none), which is what keeps concurrent requests from overspending.
 */
export interface BudgetCounterStore {
  reserve(charges: readonly CounterCharge[]): Promise<ReserveOutcome>;
  /** Adds each amount (limits ignored) and returns the new totals. */
  adjust(charges: readonly CounterCharge[]): Promise<readonly number[]>;
  /** Sets counters that do not exist yet (rebuilding spend after a restart); existing ones are kept. */
  seed(charges: readonly CounterCharge[]): Promise<void>;
  /** Marks `name` as done once (alert de-duplication across nodes); true when this call claimed it. */
  claimOnce(name: string, expiresAtMs: number): Promise<boolean>;
  close(): Promise<void>;
}
