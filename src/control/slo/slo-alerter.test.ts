import { describe, expect, it } from "vitest";
import { makeSample, makeSlo, manualClock } from "../../../test/support/slo-fixtures.js";
import { SloAlerter } from "./slo-alerter.js";
import { SloTracker } from "./slo-tracker.js";

const minute = 60_000;
const T0 = 29_000_000 * minute;

function setup() {
  const clock = manualClock(T0);
  const tracker = new SloTracker([makeSlo({ objective: 0.99 })], clock.now);
  const alerter = new SloAlerter();
  const traffic = (good: number, bad: number) => {
    for (let index = 0; index < good; index += 1) tracker.record(makeSample());
    for (let index = 0; index < bad; index += 1) tracker.record(makeSample({ status: 500 }));
  };
  const evaluate = () =>
    alerter
      .evaluate(tracker.statuses(), clock.now())
      .map(
        (event) => `${event.action}:${event.severity}:${event.conditions.map((c) => c.longWindow).join("+")}`,
      );
  return { clock, traffic, evaluate };
}

describe("SloAlerter", () => {
  it("pages once on a fast burn, stays quiet while it lasts, resolves when the short window recovers", () => {
    const { clock, traffic, evaluate } = setup();
    traffic(1000, 0);
    expect(evaluate()).toEqual([]);
    clock.advance(minute);
    traffic(50, 250);
    // 250 / 1300 errors over 1h and 5m: burn 19 > 14.4, and > 6 over 6h/30m, and > 1 over 3d/6h.
    expect(evaluate()).toEqual(["trigger:page:1h+6h", "trigger:ticket:3d"]);
    traffic(0, 100);
    expect(evaluate()).toEqual([]);
    clock.advance(minute);
    expect(evaluate()).toEqual([]);
    // An hour of good traffic later the short windows (5m, 30m) are clean: the page resolves, the ticket
    // (3d and 6h still over 1x) stays.
    clock.advance(60 * minute);
    traffic(100, 0);
    expect(evaluate()).toEqual(["resolve:page:1h+6h"]);
    expect(evaluate()).toEqual([]);
  });

  it("opens a ticket, not a page, for a slow burn", () => {
    const { clock, traffic, evaluate } = setup();
    // 3% errors for six hours: 3x the sustainable rate.
    for (let step = 0; step < 36; step += 1) {
      traffic(97, 3);
      clock.advance(10 * minute);
    }
    traffic(97, 3);
    expect(evaluate()).toEqual(["trigger:ticket:3d"]);
  });

  it("does not alert on no traffic", () => {
    const { evaluate } = setup();
    expect(evaluate()).toEqual([]);
  });
});
