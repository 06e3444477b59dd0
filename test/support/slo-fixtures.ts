import type { SloConfig } from "../../src/core/gateway-config.js";
import type { SloSample } from "../../src/core/slo-sample.js";

/** An SLO with test-friendly defaults; override what the test is about. */
export function makeSlo(overrides: Partial<SloConfig> = {}): SloConfig {
  return {
    name: "chat-availability",
    kind: "availability",
    objective: 0.99,
    windowMs: 28 * 86_400_000,
    scope: { models: [], routes: [], teams: [] },
    latency: undefined,
    description: undefined,
    ...overrides,
  };
}

export function makeSample(overrides: Partial<SloSample> = {}): SloSample {
  return {
    operation: "chat.completions",
    modelGroup: "chat",
    team: undefined,
    status: 200,
    latencyMs: 100,
    ttftMs: null,
    ...overrides,
  };
}

/** A clock the test moves by hand. */
export function manualClock(startMs: number) {
  let now = startMs;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}
