import { describe, expect, it } from "vitest";
import { RetryBudget } from "./retry-budget.js";

describe("retry budget", () => {
  it("allows retries up to ratio × requests plus the per-second floor within the window", () => {
    let now = 0;
    const budget = new RetryBudget({ ratio: 0.1, minRetriesPerSecond: 0.2, windowMs: 10_000 }, () => now);
    for (let i = 0; i < 100; i += 1) budget.recordRequest();
    const granted = Array.from({ length: 50 }, () => budget.tryRetry()).filter(Boolean).length;
    // 0.1 × 100 requests + 0.2/s × 10 s = 12
    expect(granted).toBe(12);
    now = 5_000;
    expect(budget.tryRetry()).toBe(false);
  });

  it("forgets requests and retries that left the window", () => {
    let now = 0;
    const budget = new RetryBudget({ ratio: 0.5, minRetriesPerSecond: 0, windowMs: 1_000 }, () => now);
    for (let i = 0; i < 4; i += 1) budget.recordRequest();
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([true, true, false]);
    now = 1_500;
    expect(budget.tryRetry()).toBe(false);
    budget.recordRequest();
    budget.recordRequest();
    expect([budget.tryRetry(), budget.tryRetry()]).toEqual([true, false]);
  });
});
