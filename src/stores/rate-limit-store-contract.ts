import { describe, expect, it, vi } from "vitest";
import type { LimitCheck, RateLimitStore } from "../core/ports/rate-limit-store.js";

const minute = 60_000;

function requests(bucket: string, limit: number, windowMs = minute): LimitCheck {
  return { kind: "requests", bucket, limit, windowMs, cost: 1 };
}

function tokens(bucket: string, limit: number, cost: number): LimitCheck {
  return { kind: "tokens", bucket, limit, windowMs: minute, cost };
}

function concurrent(bucket: string, limit: number): LimitCheck {
  return { kind: "concurrent", bucket, limit, windowMs: 0, cost: 1 };
}

/** The RateLimitStore contract; `openFresh` gives a store with no counters, closed after each test. */
export function describeRateLimitStoreContract(openFresh: () => Promise<RateLimitStore>): void {
  describe("rate-limit store", () => {
    it("admits up to the limit in a window, then refuses with the time until the window ends", async () => {
      const store = await openFresh();
      const outcomes = [];
      for (let index = 0; index < 4; index += 1)
        outcomes.push(await store.acquire([requests("a", 3)], `r${index}`));
      expect(outcomes.map((outcome) => outcome.admitted)).toEqual([true, true, true, false]);
      expect(outcomes.map((outcome) => outcome.states[0]?.remaining)).toEqual([2, 1, 0, 0]);
      const refused = outcomes[3];
      if (refused?.admitted !== false) throw new Error("expected a refusal");
      expect(refused.refusedIndex).toBe(0);
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(minute);
      expect(refused.states[0]?.resetMs).toBe(refused.retryAfterMs);
    });

    it("takes all counters or none: a refusal by one leaves the others untouched", async () => {
      const store = await openFresh();
      expect((await store.acquire([requests("wide", 5), requests("narrow", 1)], "r1")).admitted).toBe(true);
      const refused = await store.acquire([requests("wide", 5), requests("narrow", 1)], "r2");
      expect(refused.admitted).toBe(false);
      if (refused.admitted) return;
      expect(refused.refusedIndex).toBe(1);
      expect(refused.states.map((state) => state.remaining)).toEqual([4, 0]);
      const wideOnly = await store.acquire([requests("wide", 5)], "r3");
      expect(wideOnly.states[0]?.remaining).toBe(3);
    });

    it("reserves tokens and settles the difference within the same window", async () => {
      const store = await openFresh();
      const first = await store.acquire([tokens("t", 100, 60)], "r1");
      expect(first.admitted).toBe(true);
      expect(first.states[0]?.remaining).toBe(40);
      expect((await store.acquire([tokens("t", 100, 60)], "r2")).admitted).toBe(false);
      const windowStart = first.states[0]?.windowStart ?? -1;
      await store.settle([{ kind: "tokens", bucket: "t", windowStart, delta: -30 }], "r1");
      const after = await store.acquire([tokens("t", 100, 60)], "r3");
      expect(after.admitted).toBe(true);
      expect(after.states[0]?.remaining).toBe(10);
      await store.settle([{ kind: "tokens", bucket: "t", windowStart, delta: 25 }], "r3");
      const overdrawn = await store.acquire([tokens("t", 100, 1)], "r4");
      expect(overdrawn.admitted).toBe(false);
      expect(overdrawn.states[0]?.remaining).toBe(0);
    });

    it("ignores a settlement for a window that is no longer the current one", async () => {
      const store = await openFresh();
      const first = await store.acquire([tokens("old", 100, 50)], "r1");
      const windowStart = first.states[0]?.windowStart ?? -1;
      await store.settle([{ kind: "tokens", bucket: "old", windowStart: windowStart - 1, delta: -50 }], "r1");
      expect((await store.acquire([tokens("old", 100, 51)], "r2")).admitted).toBe(false);
    });

    it("counts requests in flight and frees a slot when its request settles", async () => {
      const store = await openFresh();
      expect((await store.acquire([concurrent("c", 2)], "a")).admitted).toBe(true);
      expect((await store.acquire([concurrent("c", 2)], "b")).admitted).toBe(true);
      const refused = await store.acquire([concurrent("c", 2)], "c");
      expect(refused.admitted).toBe(false);
      if (!refused.admitted) expect(refused.retryAfterMs).toBeGreaterThan(0);
      await store.settle([{ kind: "concurrent", bucket: "c" }], "a");
      expect((await store.acquire([concurrent("c", 2)], "c")).admitted).toBe(true);
    });

    it("admits exactly the limit when many acquisitions race", async () => {
      const store = await openFresh();
      const outcomes = await Promise.all(
        Array.from({ length: 50 }, (_unused, index) =>
          store.acquire([concurrent("race", 7), requests("race", 40)], `r${index}`),
        ),
      );
      expect(outcomes.filter((outcome) => outcome.admitted)).toHaveLength(7);
    });

    it("starts a new window once the old one ends", async () => {
      const store = await openFresh();
      expect((await store.acquire([requests("short", 1, 300)], "r1")).admitted).toBe(true);
      expect((await store.acquire([requests("short", 1, 300)], "r2")).admitted).toBe(false);
      await vi.waitFor(
        async () => expect((await store.acquire([requests("short", 1, 300)], "r3")).admitted).toBe(true),
        { timeout: 10_000, interval: 50 },
      );
    });
  });
}
