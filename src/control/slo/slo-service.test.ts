import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { makeSample, makeSlo, manualClock } from "../../../test/support/slo-fixtures.js";
import { startWebhookReceiver, type WebhookReceiver } from "../../../test/support/webhook-receiver.js";
import type { SloAlertingConfig } from "../../core/gateway-config.js";
import type { SloBucketRow, SloBucketStore } from "../../core/ports/slo-bucket-store.js";
import { SloService } from "./slo-service.js";

const minute = 60_000;
const T0 = 29_000_000 * minute;

/** A store that keeps rows in an array and fails while `failing` is set. */
function memoryStore() {
  const rows: SloBucketRow[] = [];
  const store = {
    rows,
    failing: false as boolean,
    addBatch: async (batch: readonly SloBucketRow[]) => {
      if (store.failing) throw new Error("database is down");
      rows.push(...batch);
    },
    query: async (sinceMs: number) => rows.filter((row) => row.minuteStart >= sinceMs),
    deleteBefore: async () => 0,
  } satisfies SloBucketStore & { rows: SloBucketRow[]; failing: boolean };
  return store;
}

let receiver: WebhookReceiver;
beforeEach(async () => {
  receiver = await startWebhookReceiver();
});
afterEach(() => receiver.close());

function alerting(overrides: Partial<SloAlertingConfig> = {}): SloAlertingConfig {
  return {
    evaluateIntervalMs: 3_600_000,
    persistIntervalMs: 3_600_000,
    webhooks: [
      {
        name: "ops",
        format: "generic",
        url: `${receiver.url}/hook`,
        routingKey: undefined,
        headers: {},
        severities: ["page"],
      },
    ],
    maxAttempts: 2,
    retryBaseMs: 5,
    timeoutMs: 10_000,
    source: undefined,
    ...overrides,
  };
}

describe("SloService", () => {
  it("writes counts as deltas, keeps them when a write fails, and loads them at start", async () => {
    const store = memoryStore();
    const clock = manualClock(T0);
    const persistErrors: unknown[] = [];
    const options = {
      slos: [makeSlo()],
      alerting: alerting(),
      store,
      clock: clock.now,
      defaultSource: "test",
      onPersistError: (error: unknown) => persistErrors.push(error),
      onEvaluateError: (error: unknown) => {
        throw error;
      },
      onDeliveryFailure: () => undefined,
    };
    const first = new SloService(options);
    await first.start();
    first.tracker.record(makeSample());
    store.failing = true;
    await first.persist();
    expect(persistErrors).toHaveLength(1);
    store.failing = false;
    first.tracker.record(makeSample({ status: 500 }));
    await first.close();
    expect(store.rows).toEqual([{ slo: "chat-availability", minuteStart: T0, good: 1, total: 2 }]);

    const second = new SloService(options);
    await second.start();
    expect(second.statuses()[0]).toMatchObject({ good: 1, total: 2 });
    await second.close();
    expect(store.rows).toHaveLength(1);
  });

  it("evaluates on its timer and delivers the page to the webhook", async () => {
    const clock = manualClock(T0);
    const alerts: string[] = [];
    const service = new SloService({
      slos: [makeSlo()],
      alerting: alerting({ evaluateIntervalMs: 20 }),
      store: memoryStore(),
      clock: clock.now,
      defaultSource: "switchyard@test",
      onPersistError: () => undefined,
      onEvaluateError: () => undefined,
      onDeliveryFailure: () => undefined,
      onAlert: (event) => alerts.push(`${event.action}:${event.severity}`),
    });
    await service.start();
    for (let index = 0; index < 10; index += 1) service.tracker.record(makeSample({ status: 503 }));
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 10_000 });
    expect(receiver.received[0]?.body).toMatchObject({ status: "firing", source: "switchyard@test" });
    // The ticket fires too, but this webhook takes pages only.
    expect(alerts).toEqual(["trigger:page", "trigger:ticket"]);
    await service.close();
  });
});
