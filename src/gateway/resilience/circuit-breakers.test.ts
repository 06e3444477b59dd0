import { describe, expect, it, vi } from "vitest";
import { defaultResilienceConfig } from "../../core/gateway-config.js";
import { type BreakerState, CircuitBreakers } from "./circuit-breakers.js";

const settings = { ...defaultResilienceConfig.circuitBreaker, consecutiveFailures: 3, cooldownMs: 60_000 };
const fail = async () => ({ healthFailure: true });
const succeed = async () => ({ healthFailure: false });

describe("circuit breakers", () => {
  it("open after consecutive failures, then skip the target and report the change", async () => {
    const changes: [string, BreakerState][] = [];
    const breakers = new CircuitBreakers(settings, (id, state, initial) => {
      if (!initial) changes.push([id, state]);
    });
    const breaker = breakers.for("sim/a");
    await breaker.guard(fail);
    await breaker.guard(succeed);
    await breaker.guard(fail);
    await breaker.guard(fail);
    expect(breaker.state).toBe("closed");
    await breaker.guard(fail);
    expect(breaker.state).toBe("open");
    let called = false;
    const skipped = await breaker.guard(async () => {
      called = true;
      return { healthFailure: false };
    });
    expect(skipped).toBeUndefined();
    expect(called).toBe(false);
    expect(breaker.remainingCooldownMs).toBeGreaterThan(0);
    expect(changes).toEqual([["sim/a", "open"]]);
    expect(breakers.for("sim/b").state).toBe("closed");
  });

  it("let one probe through after the cooldown and close on its success", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const breakers = new CircuitBreakers(settings);
    const breaker = breakers.for("sim/a");
    for (let i = 0; i < 3; i += 1) await breaker.guard(fail);
    expect(breaker.state).toBe("open");
    vi.setSystemTime(Date.now() + settings.cooldownMs + 1);
    let release: (() => void) | undefined;
    const probe = breaker.guard(
      () =>
        new Promise<{ healthFailure: boolean }>(
          (resolve) => (release = () => resolve({ healthFailure: false })),
        ),
    );
    expect(breaker.state).toBe("half-open");
    expect(await breaker.guard(succeed)).toBeUndefined();
    release?.();
    await probe;
    expect(breaker.state).toBe("closed");
    vi.useRealTimers();
  });

  it("count deferred outcomes (committed streams) only when their late outcome is reported", async () => {
    const breaker = new CircuitBreakers(settings).for("sim/a");
    for (let i = 0; i < 3; i += 1) {
      expect(await breaker.guard(async () => ({ healthFailure: false, deferred: true }))).toEqual({
        healthFailure: false,
        deferred: true,
      });
      await breaker.guard(fail);
    }
    // Deferred calls did not reset the run of failures: three in a row opened it.
    expect(breaker.state).toBe("open");

    const other = new CircuitBreakers(settings).for("sim/b");
    for (let i = 0; i < 3; i += 1) other.reportLateOutcome(true);
    await vi.waitFor(() => expect(other.state).toBe("open"));
  });

  it("never open when disabled", async () => {
    const breaker = new CircuitBreakers({ ...settings, enabled: false }).for("sim/a");
    for (let i = 0; i < 10; i += 1) await breaker.guard(fail);
    expect(breaker.state).toBe("closed");
    expect(await breaker.guard(succeed)).toEqual({ healthFailure: false });
  });
});
