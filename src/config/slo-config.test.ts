import { describe, expect, it } from "vitest";
import { ConfigError, parseConfigText } from "./load-config.js";

const base = `
providers:
  - name: sim
    type: simulator
models:
  - name: chat
    targets: [{ provider: sim }]
`;

function issuesOf(text: string) {
  try {
    parseConfigText(text, "test.yaml", {});
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

describe("slos and sloAlerting config", () => {
  it("is off by default, with alerting defaults", () => {
    const config = parseConfigText(base, "test.yaml", {});
    expect(config.slos).toEqual([]);
    expect(config.sloAlerting).toEqual({
      evaluateIntervalMs: 30_000,
      persistIntervalMs: 10_000,
      webhooks: [],
      maxAttempts: 5,
      retryBaseMs: 1000,
      timeoutMs: 10_000,
      source: undefined,
    });
  });

  it("reads SLOs with a 28-day default window, durations and scopes", () => {
    const config = parseConfigText(
      `${base}
slos:
  - name: chat-availability
    kind: availability
    objective: 0.999
    scope: { models: [chat] }
  - name: chat-ttft
    kind: latency
    objective: 0.95
    window: 4w
    latency: { measure: ttft, thresholdMs: 500 }
sloAlerting:
  webhooks:
    - { name: pager, format: pagerduty, url: "https://events.pagerduty.com/v2/enqueue", routingKey: abc }
`,
      "test.yaml",
      {},
    );
    expect(config.slos[0]).toEqual({
      name: "chat-availability",
      kind: "availability",
      objective: 0.999,
      windowMs: 28 * 86_400_000,
      scope: { models: ["chat"], routes: [], teams: [] },
      latency: undefined,
      description: undefined,
    });
    expect(config.slos[1]).toMatchObject({
      windowMs: 28 * 86_400_000,
      latency: { measure: "ttft", thresholdMs: 500 },
    });
    expect(config.sloAlerting.webhooks[0]).toMatchObject({
      format: "pagerduty",
      severities: ["page", "ticket"],
    });
  });

  it("reports every mistake: objective out of range, missing latency, unknown keys, bad windows, PagerDuty without a key", () => {
    expect(
      issuesOf(`${base}
slos:
  - { name: a, kind: availability, objective: 99.9 }
  - { name: b, kind: latency, objective: 0.9 }
  - { name: a, kind: availability, objective: 0.9, window: 1d, latency: { thresholdMs: 5 } }
  - { name: c, kind: availability, objective: 0.9, budget: 3 }
sloAlerting:
  webhooks:
    - { name: pd, format: pagerduty, url: "https://example.com/" }
`),
    ).toEqual([
      "slos[0].objective: a share in (0, 1), e.g. 0.999 for 99.9%",
      "slos[1].latency: required for kind latency",
      "slos[2].latency: only allowed for kind latency",
      "slos[2].window: at least 3d (the ticket alert's window)",
      'slos[3]: Unrecognized key: "budget"',
      "slos[2].name: duplicate name",
      "sloAlerting.webhooks[0].routingKey: required for format pagerduty",
    ]);
  });
});
