import { describe, expect, it } from "vitest";
import type { Storage } from "../core/ports/storage.js";

const minute = 60_000;
const T0 = 29_000_000 * minute;

/** The `SloBucketStore` contract; runs against every storage backend. */
export function describeSloBucketStoreContract(openFresh: () => Promise<Storage>): void {
  describe("slo buckets", () => {
    it("adds counts to an existing minute instead of replacing them, per SLO", async () => {
      const { sloBuckets } = await openFresh();
      await sloBuckets.addBatch([
        { slo: "chat-availability", minuteStart: T0, good: 9, total: 10 },
        { slo: "chat-latency", minuteStart: T0, good: 4, total: 5 },
      ]);
      await sloBuckets.addBatch([
        { slo: "chat-availability", minuteStart: T0, good: 1, total: 3 },
        { slo: "chat-availability", minuteStart: T0 + minute, good: 7, total: 7 },
      ]);
      expect(await sloBuckets.query(T0)).toEqual([
        { slo: "chat-availability", minuteStart: T0, good: 10, total: 13 },
        { slo: "chat-latency", minuteStart: T0, good: 4, total: 5 },
        { slo: "chat-availability", minuteStart: T0 + minute, good: 7, total: 7 },
      ]);
    });

    it("queries from a minute on and deletes what is older than a cut-off", async () => {
      const { sloBuckets } = await openFresh();
      await sloBuckets.addBatch(
        [0, 1, 2, 3].map((index) => ({
          slo: "a",
          minuteStart: T0 + index * minute,
          good: index,
          total: 10,
        })),
      );
      expect((await sloBuckets.query(T0 + 2 * minute)).map((row) => row.good)).toEqual([2, 3]);
      expect(await sloBuckets.deleteBefore(T0 + minute)).toBe(1);
      expect((await sloBuckets.query(0)).map((row) => row.minuteStart)).toEqual([
        T0 + minute,
        T0 + 2 * minute,
        T0 + 3 * minute,
      ]);
      await sloBuckets.addBatch([]);
      expect(await sloBuckets.query(T0 + 4 * minute)).toEqual([]);
    });
  });
}
