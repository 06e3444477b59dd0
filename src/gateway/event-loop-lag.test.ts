import { describe, expect, it } from "vitest";
import { startEventLoopLag } from "./event-loop-lag.js";

function blockFor(milliseconds: number): void {
  const until = performance.now() + milliseconds;
  while (performance.now() < until) {
    // a synchronous block, as a CPU-heavy request would cause
  }
}

describe("startEventLoopLag", () => {
  it("reports a synchronous block of the loop, also while the timer could not fire yet", () => {
    const lag = startEventLoopLag();
    try {
      blockFor(300);
      // The sampler's timer has not run since it started, so at least 300 − 50 ms of drift are pending.
      expect(lag.current()).toBeGreaterThanOrEqual(250);
    } finally {
      lag.stop();
    }
  });

  it("remembers the block after the timer caught up", async () => {
    const lag = startEventLoopLag();
    try {
      blockFor(300);
      // Timers run in order of expiry: the sampler's (due 50 ms after start) runs before this one.
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(lag.current()).toBeGreaterThanOrEqual(250);
    } finally {
      lag.stop();
    }
  });
});
