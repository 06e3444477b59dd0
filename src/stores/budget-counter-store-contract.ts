import { describe, expect, it } from "vitest";
import type { BudgetCounterStore, CounterCharge } from "../core/ports/budget-counter-store.js";

const later = Date.now() + 3_600_000;
const charge = (counterKey: string, amount: number, limit: number | null = null): CounterCharge => ({
  counterKey,
  amount,
  limit,
  expiresAtMs: later,
});

/** The BudgetCounterStore contract; `open` gives a store with no counters, closed by the suite. */
export function describeBudgetCounterStoreContract(name: string, open: () => BudgetCounterStore): void {
  describe(`budget counters: ${name}`, () => {
    it("adds every charge when all fit, and none when one does not", async () => {
      const store = open();
      try {
        expect(await store.reserve([charge("a", 60, 100), charge("b", 60, null)])).toEqual({
          accepted: true,
          totals: [60, 60],
        });
        expect(await store.reserve([charge("b", 30, null), charge("a", 41, 100)])).toEqual({
          accepted: false,
          refusedIndex: 1,
          totals: [60, 60],
        });
        expect(await store.reserve([charge("a", 40, 100)])).toEqual({ accepted: true, totals: [100] });
      } finally {
        await store.close();
      }
    });

    it("adjusts by signed amounts and seeds only missing counters", async () => {
      const store = open();
      try {
        await store.reserve([charge("a", 500, null)]);
        expect(await store.adjust([charge("a", -200), charge("c", 7)])).toEqual([300, 7]);
        await store.seed([charge("a", 9999), charge("d", 42)]);
        expect(await store.adjust([charge("a", 0), charge("d", 0)])).toEqual([300, 42]);
      } finally {
        await store.close();
      }
    });

    it("lets exactly as many concurrent reservations through as fit", async () => {
      const store = open();
      try {
        const outcomes = await Promise.all(
          Array.from({ length: 50 }, () => store.reserve([charge("shared", 10, 95)])),
        );
        expect(outcomes.filter((outcome) => outcome.accepted)).toHaveLength(9);
      } finally {
        await store.close();
      }
    });

    it("claims a name once", async () => {
      const store = open();
      try {
        const claims = await Promise.all([1, 2, 3].map(() => store.claimOnce("alert", later)));
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await store.claimOnce("other", later)).toBe(true);
      } finally {
        await store.close();
      }
    });
  });
}
