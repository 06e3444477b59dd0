import { describe, expect, it } from "vitest";
import { makeSample, makeSlo, manualClock } from "../../../test/support/slo-fixtures.js";
import type { SloWebhookConfig } from "../../core/gateway-config.js";
import { alertMessageBody, formatDuration } from "./format-alert-message.js";
import { SloAlerter } from "./slo-alerter.js";
import { SloTracker } from "./slo-tracker.js";

const T0 = Date.UTC(2026, 10, 28, 3, 0, 0);

function events() {
  const clock = manualClock(T0);
  const tracker = new SloTracker([makeSlo({ objective: 0.999 })], clock.now);
  const alerter = new SloAlerter();
  for (let index = 0; index < 10; index += 1) tracker.record(makeSample({ status: 500 }));
  const [trigger] = alerter.evaluate(tracker.statuses(), clock.now());
  clock.advance(2 * 3_600_000);
  const [resolve] = alerter.evaluate(tracker.statuses(), clock.now());
  if (trigger === undefined || resolve === undefined) throw new Error("expected a trigger and a resolve");
  return { trigger, resolve };
}

const base: SloWebhookConfig = {
  name: "hook",
  format: "generic",
  url: "http://127.0.0.1/hook",
  routingKey: undefined,
  headers: {},
  severities: ["page"],
};

describe("alert messages", () => {
  it("PagerDuty Events v2: trigger with payload, resolve with the same dedup key", () => {
    const { trigger, resolve } = events();
    const pagerDuty = { ...base, format: "pagerduty" as const, routingKey: "R0UT1NGKEY" };
    const triggered = alertMessageBody(pagerDuty, trigger, "switchyard@test");
    expect(triggered).toMatchObject({
      routing_key: "R0UT1NGKEY",
      event_action: "trigger",
      dedup_key: "switchyard/slo/chat-availability/page",
      payload: { severity: "critical", source: "switchyard@test", timestamp: new Date(T0).toISOString() },
    });
    expect((triggered.payload as { summary: string }).summary).toMatch(
      /^\[PAGE\] SLO chat-availability \(99\.9% availability over 28d\): error budget burning 1000\.0x over 1h/,
    );
    expect(alertMessageBody(pagerDuty, resolve, "switchyard@test")).toEqual({
      routing_key: "R0UT1NGKEY",
      event_action: "resolve",
      dedup_key: "switchyard/slo/chat-availability/page",
    });
  });

  it("Slack: text plus blocks; generic: the full details with firing/resolved", () => {
    const { trigger, resolve } = events();
    const slack = alertMessageBody({ ...base, format: "slack" }, trigger, "gw");
    expect(slack.text).toMatch(/^\[PAGE\] SLO chat-availability/);
    expect(Array.isArray(slack.blocks)).toBe(true);
    const generic = alertMessageBody(base, resolve, "gw");
    expect(generic).toMatchObject({
      version: 1,
      status: "resolved",
      severity: "page",
      slo: "chat-availability",
      objective: 0.999,
      startsAt: new Date(T0).toISOString(),
      endsAt: new Date(T0 + 2 * 3_600_000).toISOString(),
    });
    expect(generic.summary).toMatch(/^\[RESOLVED\]/);
  });

  it("formats durations the way configs write them", () => {
    expect(formatDuration(28 * 86_400_000)).toBe("28d");
    expect(formatDuration(90 * 60_000)).toBe("90m");
    expect(formatDuration(6 * 3_600_000)).toBe("6h");
  });
});
