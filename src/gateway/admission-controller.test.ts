import { describe, expect, it, vi } from "vitest";
import { routingTable } from "../../test/support/routing-table.js";
import { Cancellation } from "../core/cancellation.js";
import { unknownUsage } from "../core/cost/token-usage.js";
import type { BackpressureConfig } from "../core/gateway-config.js";
import { GatewayError } from "../core/gateway-error.js";
import { AdmissionController, type ShedReason } from "./admission-controller.js";
import type { GatewayContext } from "./gateway-context.js";
import { vacateTarget } from "./target-stats.js";

const routes = routingTable([
  {
    name: "limited",
    targets: [
      { provider: "a", model: "m", params: {}, maxConcurrency: 1 },
      { provider: "b", model: "m", params: {}, maxConcurrency: 1 },
    ],
  },
  { name: "open", targets: [{ provider: "c", model: "m", params: {} }] },
]);

function request(group: string): GatewayContext {
  return {
    requestId: "r",
    receivedAt: 0,
    startedAt: 0,
    operation: "chat.completions",
    headers: {},
    body: {},
    signal: new Cancellation(),
    routes,
    releaseRoutes: () => undefined,
    caller: { kind: "master" },
    route: routes.resolve(group),
    modelRequested: group,
    stream: false,
    upstreamMs: 0,
    attempts: [],
    target: null,
    usage: unknownUsage,
    ttftMs: null,
    errorCode: null,
    loggedStatus: null,
    policy: undefined,
    busyTarget: undefined,
    releaseAdmission: undefined,
    rateLimit: undefined,
    attribution: undefined,
    promptTokens: null,
    completionText: undefined,
    budgetReservation: undefined,
    tracing: undefined,
    costUsd: null,
    warnings: null,
  };
}

/** What `Gateway.complete` does for admission. */
function complete(context: GatewayContext): void {
  vacateTarget(context);
  context.releaseAdmission?.();
}

function controller(settings: BackpressureConfig | undefined, lagMs = 0) {
  const shed: ShedReason[] = [];
  const admission = new AdmissionController({
    settings,
    lagMs: () => lagMs,
    onShed: (reason) => shed.push(reason),
  });
  return { admission, shed };
}

const settings = (overrides: Partial<BackpressureConfig> = {}): BackpressureConfig => ({
  maxQueue: 1,
  queueTimeoutMs: 60_000,
  retryAfterSeconds: 2,
  ...overrides,
});

function shedError(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
  }
  throw new Error("expected a shed");
}

describe("AdmissionController", () => {
  it("does nothing without settings or per-target limits", () => {
    const { admission } = controller(undefined);
    const context = request("open");
    expect(admission.admit(context)).toBeUndefined();
    expect(context.releaseAdmission).toBeUndefined();
    expect(admission.active).toBe(0);
  });

  it("queues past the global limit, sheds past the queue with 503 and Retry-After, admits in turn", async () => {
    const { admission, shed } = controller(settings({ maxConcurrent: 1 }));
    const first = request("open");
    const second = request("open");
    expect(admission.admit(first)).toBeUndefined();
    const waiting = admission.admit(second);
    expect(waiting).toBeInstanceOf(Promise);
    expect(admission.queued).toBe(1);
    const error = shedError(() => admission.admit(request("open")));
    expect(error).toMatchObject({ code: "GW_ERR_OVERLOADED_QUEUE_FULL", status: 503, retryAfterSeconds: 2 });
    expect(shed).toEqual(["queue-full"]);
    complete(first);
    await waiting;
    expect(admission.queued).toBe(0);
    expect(admission.active).toBe(1);
    complete(second);
    complete(second);
    expect(admission.active).toBe(0);
  });

  it("sheds a request that waited longer than queueTimeoutMs", async () => {
    vi.useFakeTimers();
    try {
      const { admission, shed } = controller(settings({ maxConcurrent: 1, queueTimeoutMs: 500 }));
      admission.admit(request("open"));
      const waiting = admission.admit(request("open"));
      const outcome = waiting?.then(
        () => "admitted",
        (error: unknown) => error,
      );
      await vi.advanceTimersByTimeAsync(500);
      expect(await outcome).toMatchObject({ code: "GW_ERR_OVERLOADED_QUEUE_TIMEOUT", status: 503 });
      expect(admission.queued).toBe(0);
      expect(shed).toEqual(["queue-timeout"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("drops a waiter whose client left", async () => {
    const { admission } = controller(settings({ maxConcurrent: 1 }));
    admission.admit(request("open"));
    const leaving = request("open");
    const waiting = admission.admit(leaving);
    (leaving.signal as Cancellation).cancel();
    await expect(waiting).rejects.toMatchObject({ code: "GW_ERR_CLIENT_DISCONNECTED" });
    expect(admission.queued).toBe(0);
  });

  it("holds per-target slots: a full target drops out of the plan, all full means waiting", async () => {
    const { admission } = controller(undefined);
    const first = request("limited");
    expect(admission.admit(first)).toBeUndefined();
    expect(first.busyTarget?.label).toBe("a/m");
    const second = request("limited");
    expect(admission.admit(second)).toBeUndefined();
    expect(second.route?.targets.map((target) => target.label)).toEqual(["b/m"]);
    const third = request("limited");
    const waiting = admission.admit(third);
    expect(admission.queued).toBe(1);
    // A request for an unlimited group is not held up by the waiter.
    expect(admission.admit(request("open"))).toBeUndefined();
    complete(first);
    await waiting;
    expect(third.busyTarget?.label).toBe("a/m");
    expect(third.route?.targets.map((target) => target.label)).toEqual(["a/m"]);
    complete(second);
    complete(third);
    expect(routes.resolve("limited")?.targets.map((target) => target.stats.inFlight)).toEqual([0, 0]);
  });

  it("sheds at once while the event loop lags past the threshold", () => {
    const { admission, shed } = controller(settings({ maxEventLoopLagMs: 100 }), 250);
    expect(shedError(() => admission.admit(request("open")))).toMatchObject({
      code: "GW_ERR_OVERLOADED_EVENT_LOOP",
      status: 503,
      retryAfterSeconds: 2,
    });
    expect(shed).toEqual(["event-loop"]);
    const calm = controller(settings({ maxEventLoopLagMs: 100 }), 50);
    expect(calm.admission.admit(request("open"))).toBeUndefined();
  });

  it("applies reloaded limits to waiting requests", async () => {
    const { admission } = controller(settings({ maxConcurrent: 1 }));
    admission.admit(request("open"));
    const waiting = admission.admit(request("open"));
    admission.configure(settings({ maxConcurrent: 2 }));
    await waiting;
    expect(admission.active).toBe(2);
  });
});
