import { describe, expect, it } from "vitest";
import {
  occupyTarget,
  recordAttemptOutcome,
  TargetStats,
  TargetStatsRegistry,
  vacateTarget,
} from "./target-stats.js";

const settings = { smoothing: 0.5, staleAfterMs: 1000 };

describe("TargetStats", () => {
  it("smooths latency, restarting from the newest sample once the old one is stale", () => {
    const stats = new TargetStats("a/m");
    expect(stats.currentLatency(0, settings)).toBeUndefined();
    stats.recordSuccess(100, 0, settings);
    stats.recordSuccess(300, 10, settings);
    expect(stats.currentLatency(10, settings)).toBe(200);
    expect(stats.currentLatency(1011, settings)).toBeUndefined();
    stats.recordSuccess(50, 2000, settings);
    expect(stats.currentLatency(2000, settings)).toBe(50);
  });

  it("turns unhealthy after three failures in a row, healthy again on success or after the window", () => {
    const stats = new TargetStats("a/m");
    stats.recordFailure(0);
    stats.recordFailure(0);
    expect(stats.isHealthy(0, settings)).toBe(true);
    stats.recordFailure(0);
    expect(stats.isHealthy(0, settings)).toBe(false);
    expect(stats.isHealthy(1001, settings)).toBe(true);
    stats.recordSuccess(10, 5, settings);
    expect(stats.isHealthy(5, settings)).toBe(true);
  });
});

describe("recordAttemptOutcome", () => {
  it("counts transport errors, 408, 429 and 5xx against the target, not the caller's 4xx", () => {
    const stats = new TargetStats("a/m");
    recordAttemptOutcome(stats, 5, 400, "GW_ERR_UPSTREAM_ERROR", settings);
    recordAttemptOutcome(stats, 5, 404, "GW_ERR_UPSTREAM_ERROR", settings);
    expect(stats.consecutiveFailures).toBe(0);
    expect(Number.isNaN(stats.latencyMs)).toBe(true);
    recordAttemptOutcome(stats, 5, 429, "GW_ERR_UPSTREAM_ERROR", settings);
    recordAttemptOutcome(stats, 5, 503, "GW_ERR_UPSTREAM_ERROR", settings);
    recordAttemptOutcome(stats, 5, null, "GW_ERR_UPSTREAM_UNREACHABLE", settings);
    expect(stats.consecutiveFailures).toBe(3);
    recordAttemptOutcome(stats, 40, 200, null, settings);
    expect(stats.consecutiveFailures).toBe(0);
    expect(stats.latencyMs).toBe(40);
  });
});

describe("occupyTarget / vacateTarget", () => {
  it("counts a request on one target at a time and not once its client left", () => {
    const a = new TargetStats("a");
    const b = new TargetStats("b");
    const request = { busyTarget: undefined, signal: { aborted: false } };
    occupyTarget(request, a);
    occupyTarget(request, a);
    expect([a.inFlight, b.inFlight]).toEqual([1, 0]);
    occupyTarget(request, b);
    expect([a.inFlight, b.inFlight]).toEqual([0, 1]);
    vacateTarget(request);
    vacateTarget(request);
    expect([a.inFlight, b.inFlight]).toEqual([0, 0]);
    const gone = { busyTarget: undefined, signal: { aborted: true } };
    occupyTarget(gone, a);
    expect(a.inFlight).toBe(0);
  });
});

describe("TargetStatsRegistry", () => {
  it("hands out one object per label", () => {
    const registry = new TargetStatsRegistry();
    expect(registry.get("a/m")).toBe(registry.get("a/m"));
    expect([...registry.all()].map((stats) => stats.label)).toEqual(["a/m"]);
  });
});
