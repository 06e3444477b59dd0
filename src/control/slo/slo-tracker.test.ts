import { describe, expect, it } from "vitest";
import { makeSample, makeSlo, manualClock } from "../../../test/support/slo-fixtures.js";
import { SloTracker } from "./slo-tracker.js";

const minute = 60_000;
const T0 = 29_000_000 * minute;

describe("SloTracker", () => {
  it("counts availability in scope: 5xx are bad, 4xx good, 499 not counted", () => {
    const clock = manualClock(T0);
    const tracker = new SloTracker(
      [makeSlo({ scope: { models: ["chat"], routes: ["chat.completions"], teams: [] } })],
      clock.now,
    );
    for (const status of [200, 200, 400, 429, 500, 502, 499]) tracker.record(makeSample({ status }));
    tracker.record(makeSample({ modelGroup: "other", status: 500 }));
    tracker.record(makeSample({ operation: "embeddings", status: 500 }));
    const [status] = tracker.statuses();
    expect(status).toMatchObject({ good: 4, total: 6 });
    expect(status?.sli).toBeCloseTo(4 / 6);
    // 2 errors against a budget of 1% of 6 requests.
    expect(status?.budgetRemaining).toBeCloseTo(1 - 2 / 0.06);
    expect(status?.burnRates["5m"]).toBeCloseTo(2 / 6 / 0.01);
  });

  it("judges latency against the bound, and TTFT over streams only", () => {
    const clock = manualClock(T0);
    const tracker = new SloTracker(
      [
        makeSlo({ name: "latency", kind: "latency", latency: { measure: "latency", thresholdMs: 500 } }),
        makeSlo({ name: "ttft", kind: "latency", latency: { measure: "ttft", thresholdMs: 200 } }),
      ],
      clock.now,
    );
    tracker.record(makeSample({ latencyMs: 500, ttftMs: null }));
    tracker.record(makeSample({ latencyMs: 501, ttftMs: 150 }));
    tracker.record(makeSample({ latencyMs: 900, ttftMs: 250 }));
    const [latency, ttft] = tracker.statuses();
    expect(latency).toMatchObject({ good: 1, total: 3 });
    expect(ttft).toMatchObject({ good: 1, total: 2 });
  });

  it("scopes by the caller's team; callers without one are outside a team SLO", () => {
    const tracker = new SloTracker(
      [makeSlo({ scope: { models: [], routes: [], teams: ["search"] } })],
      manualClock(T0).now,
    );
    tracker.record(makeSample({ team: "search", status: 500 }));
    tracker.record(makeSample({ team: "ads", status: 500 }));
    tracker.record(makeSample({ team: undefined, status: 500 }));
    expect(tracker.statuses()[0]).toMatchObject({ good: 0, total: 1 });
  });

  it("computes each burn window over its own minutes; old minutes fall out of the window", () => {
    const clock = manualClock(T0);
    const tracker = new SloTracker([makeSlo({ windowMs: 3 * 86_400_000 })], clock.now);
    for (let index = 0; index < 10; index += 1) tracker.record(makeSample({ status: 500 }));
    clock.advance(10 * minute);
    for (let index = 0; index < 90; index += 1) tracker.record(makeSample());
    let [status] = tracker.statuses();
    expect(status?.burnRates["5m"]).toBe(0);
    expect(status?.burnRates["30m"]).toBeCloseTo(10);
    expect(status?.burnRates["3d"]).toBeCloseTo(10);
    clock.advance(3 * 86_400_000 - 5 * minute);
    [status] = tracker.statuses();
    expect(status).toMatchObject({ good: 90, total: 90, sli: 1, budgetRemaining: 1 });
    clock.advance(10 * minute);
    [status] = tracker.statuses();
    expect(status).toMatchObject({ good: 0, total: 0, sli: 1 });
  });

  it("hands storage only what it has not written yet, and loads stored counts back", () => {
    const clock = manualClock(T0 + 30_000);
    const tracker = new SloTracker([makeSlo()], clock.now);
    tracker.record(makeSample());
    tracker.record(makeSample({ status: 500 }));
    const first = tracker.takeUnpersisted();
    expect(first.rows).toEqual([{ slo: "chat-availability", minuteStart: T0, good: 1, total: 2 }]);
    tracker.record(makeSample());
    first.markPersisted();
    clock.advance(minute);
    tracker.record(makeSample({ status: 503 }));
    const second = tracker.takeUnpersisted();
    expect(second.rows).toEqual([
      { slo: "chat-availability", minuteStart: T0, good: 1, total: 1 },
      { slo: "chat-availability", minuteStart: T0 + minute, good: 0, total: 1 },
    ]);
    // Not marked (the write failed): the same rows come again.
    expect(tracker.takeUnpersisted().rows).toEqual(second.rows);

    const restarted = new SloTracker([makeSlo()], clock.now);
    restarted.load([
      { slo: "chat-availability", minuteStart: T0, good: 2, total: 3 },
      { slo: "chat-availability", minuteStart: T0 + minute, good: 0, total: 1 },
      { slo: "removed-slo", minuteStart: T0, good: 5, total: 5 },
    ]);
    expect(restarted.statuses()[0]).toMatchObject({ good: 2, total: 4 });
    // Loaded minutes are already stored: only new traffic is written.
    restarted.record(makeSample());
    expect(restarted.takeUnpersisted().rows).toEqual([
      { slo: "chat-availability", minuteStart: T0 + minute, good: 1, total: 1 },
    ]);
  });
});
