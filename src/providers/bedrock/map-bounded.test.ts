import { describe, expect, it } from "vitest";
import { mapBounded } from "./map-bounded.js";

/** A call the test finishes by hand, so in-flight counts are exact without timers. */
interface PendingCall {
  readonly item: number;
  finish(): void;
  fail(error: Error): void;
}

function controlledCalls() {
  const pending: PendingCall[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const map = (item: number) =>
    new Promise<string>((resolve, reject) => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      pending.push({
        item,
        finish: () => {
          inFlight -= 1;
          resolve(`result ${item}`);
        },
        fail: (error) => {
          inFlight -= 1;
          reject(error);
        },
      });
    });
  return { pending, map, mostInFlight: () => mostInFlight };
}

/** Lets queued promise callbacks run, so workers pick up their next item. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("mapBounded", () => {
  it("keeps at most `limit` calls in flight and answers in input order whatever the finishing order", async () => {
    const calls = controlledCalls();
    const done = mapBounded([0, 1, 2, 3, 4, 5], 2, calls.map);
    await settle();
    expect(calls.pending.map((call) => call.item)).toEqual([0, 1]);
    calls.pending[1]?.finish();
    await settle();
    expect(calls.pending.map((call) => call.item)).toEqual([0, 1, 2]);
    for (let index = 0; index < 6; index += 1) {
      await settle();
      for (const call of [...calls.pending].reverse()) call.finish();
      calls.pending.length = 0;
    }
    expect(await done).toEqual(["result 0", "result 1", "result 2", "result 3", "result 4", "result 5"]);
    expect(calls.mostInFlight()).toBe(2);
  });

  it("starts no further calls after one throws, and rejects with its error", async () => {
    const calls = controlledCalls();
    const done = mapBounded([0, 1, 2, 3], 2, calls.map);
    await settle();
    calls.pending[0]?.fail(new Error("connection reset"));
    await expect(done).rejects.toThrow("connection reset");
    calls.pending[1]?.finish();
    await settle();
    expect(calls.pending.map((call) => call.item)).toEqual([0, 1]);
  });
});
