import { describe, expect, it } from "vitest";
import { replayRandom, routingTable, seededRandom } from "../../../test/support/routing-table.js";
import type { ResolvedTarget } from "../route-table.js";
import { type OrderingInput, orderTargets } from "./order-targets.js";

const table = routingTable([
  {
    name: "chat",
    targets: [
      { provider: "a", model: "m", params: {}, weight: 3, pricing: { inputPerMTok: 5, outputPerMTok: 15 } },
      {
        provider: "b",
        model: "m",
        params: {},
        weight: 1,
        pricing: { inputPerMTok: 0.5, outputPerMTok: 1.5 },
      },
      { provider: "c", model: "m", params: {} },
    ],
  },
]);
const targets = table.resolve("chat")?.targets ?? [];
const now = 1_000_000;
const input = (overrides: Partial<OrderingInput> = {}): OrderingInput => ({
  now,
  latency: table.latency,
  random: replayRandom([0.5]),
  inputTokens: 1000,
  outputTokens: 100,
  ...overrides,
});
const labels = (ordered: readonly ResolvedTarget[]) => ordered.map((target) => target.adapter.name);

function resetStats(): void {
  for (const target of targets) {
    target.stats.inFlight = 0;
    target.stats.latencyMs = Number.NaN;
    target.stats.sampledAt = Number.NEGATIVE_INFINITY;
    target.stats.consecutiveFailures = 0;
    target.stats.lastFailureAt = Number.NEGATIVE_INFINITY;
  }
}

describe("orderTargets", () => {
  it("keeps config order for priority, whatever the figures say", () => {
    resetStats();
    targets[0]?.stats.recordFailure(now);
    targets[0]?.stats.recordFailure(now);
    targets[0]?.stats.recordFailure(now);
    expect(labels(orderTargets("priority", targets, input()))).toEqual(["a", "b", "c"]);
  });

  it("draws the first weighted target in proportion to the weights, and keeps the rest as fallbacks", () => {
    resetStats();
    const random = seededRandom(7);
    const firsts = new Map<string, number>();
    for (let draw = 0; draw < 10_000; draw += 1) {
      const ordered = labels(orderTargets("weighted", targets, input({ random })));
      expect(new Set(ordered).size).toBe(3);
      firsts.set(ordered[0] as string, (firsts.get(ordered[0] as string) ?? 0) + 1);
    }
    // Weights 3:1:1 → 60%, 20%, 20%.
    expect((firsts.get("a") ?? 0) / 10_000).toBeCloseTo(0.6, 1);
    expect((firsts.get("b") ?? 0) / 10_000).toBeCloseTo(0.2, 1);
    expect((firsts.get("c") ?? 0) / 10_000).toBeCloseTo(0.2, 1);
  });

  it("orders weighted targets by u^(1/w) of the injected random source", () => {
    resetStats();
    // a: 0.1^(1/3) ≈ 0.46, b: 0.9, c: 0.5 → b, c, a.
    expect(
      labels(orderTargets("weighted", targets, input({ random: replayRandom([0.1, 0.9, 0.5]) }))),
    ).toEqual(["b", "c", "a"]);
  });

  it("puts the target with the fewest requests in flight first for least-busy, config order among equals", () => {
    resetStats();
    expect(labels(orderTargets("least-busy", targets, input()))).toEqual(["a", "b", "c"]);
    (targets[0] as ResolvedTarget).stats.inFlight = 2;
    (targets[1] as ResolvedTarget).stats.inFlight = 1;
    expect(labels(orderTargets("least-busy", targets, input()))).toEqual(["c", "b", "a"]);
  });

  it("tries unmeasured targets first for least-latency, then the lowest smoothed latency", () => {
    resetStats();
    const settings = table.latency;
    targets[0]?.stats.recordSuccess(300, now, settings);
    targets[1]?.stats.recordSuccess(100, now, settings);
    expect(labels(orderTargets("least-latency", targets, input()))).toEqual(["c", "b", "a"]);
    targets[2]?.stats.recordSuccess(200, now, settings);
    expect(labels(orderTargets("least-latency", targets, input()))).toEqual(["b", "c", "a"]);
    // b slows down: with smoothing 0.3, 100 → 100 + 0.3 × (1000 − 100) = 370.
    targets[1]?.stats.recordSuccess(1000, now, settings);
    expect(targets[1]?.stats.latencyMs).toBeCloseTo(370);
    expect(labels(orderTargets("least-latency", targets, input()))).toEqual(["c", "a", "b"]);
    // A sample older than the staleness window counts as unmeasured: a is tried again first.
    targets[1]?.stats.recordSuccess(1000, now + settings.staleAfterMs, settings);
    targets[2]?.stats.recordSuccess(200, now + settings.staleAfterMs, settings);
    expect(
      labels(orderTargets("least-latency", targets, input({ now: now + settings.staleAfterMs + 1 })))[0],
    ).toBe("a");
  });

  it("puts the cheapest target for the request first for cost, unknown prices last", () => {
    resetStats();
    expect(labels(orderTargets("cost", targets, input()))).toEqual(["b", "a", "c"]);
  });

  it("moves a target on a run of failures behind the healthy ones until it succeeds or the run is old", () => {
    resetStats();
    const b = targets[1] as ResolvedTarget;
    b.stats.recordFailure(now);
    b.stats.recordFailure(now);
    expect(labels(orderTargets("cost", targets, input()))[0]).toBe("b");
    b.stats.recordFailure(now);
    expect(labels(orderTargets("cost", targets, input()))).toEqual(["a", "c", "b"]);
    expect(
      labels(orderTargets("cost", targets, input({ now: now + table.latency.staleAfterMs + 1 })))[0],
    ).toBe("b");
    b.stats.recordSuccess(50, now, table.latency);
    expect(labels(orderTargets("cost", targets, input()))[0]).toBe("b");
  });
});
