import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseConfigText } from "../../src/config/load-config.js";
import { startSwitchyard } from "../../src/main.js";
import { manualClock } from "../support/slo-fixtures.js";
import { startTestGateway, type TestGateway, testMasterKey } from "../support/start-test-gateway.js";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver.js";

const minute = 60_000;
const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "Status?" }];

function sloConfig(webhookUrl: string, storage = ""): string {
  return `
providers:
  - name: sim
    type: simulator
    simulator: { latencyMs: 0, tokensPerSecond: 0 }
models:
  - name: chat
    targets: [{ provider: sim, model: sim-small }]
# The spike must reach the provider: with the breaker on, it would answer 503 after a few failures instead.
resilience:
  circuitBreaker: { enabled: false }
slos:
  - name: chat-availability
    kind: availability
    objective: 0.99
    scope: { models: [chat] }
sloAlerting:
  evaluateIntervalMs: 3600000
  persistIntervalMs: 3600000
  retryBaseMs: 10
  source: e2e-gateway
  webhooks:
    - { name: ops, format: generic, url: "${webhookUrl}/generic", severities: [page] }
    - { name: pager, format: pagerduty, url: "${webhookUrl}/pagerduty", routingKey: test-routing-key, severities: [page] }
${storage}`;
}

async function send(client: OpenAI, count: number, fault?: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const outcome = await client.chat.completions
      .create(
        { model: "chat", messages },
        fault === undefined ? {} : { headers: { "x-simulator-fault": fault } },
      )
      .then(
        () => 200,
        (error: unknown) => (error instanceof OpenAI.APIError ? (error.status ?? 0) : -1),
      );
    statuses.push(outcome);
  }
  return statuses;
}

describe("burn-rate alerts driven by an error spike through the simulator", () => {
  let receiver: WebhookReceiver;
  let gateway: TestGateway;
  const clock = manualClock(Date.UTC(2026, 0, 5, 9, 0, 0));

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    gateway = await startTestGateway(sloConfig(receiver.url), {}, { sloClock: clock.now });
  });
  afterAll(async () => {
    await gateway.close();
    await receiver.close();
  });

  const counted = (total: number) =>
    vi.waitFor(() => expect(gateway.running.slo?.statuses()[0]?.total).toBe(total), { timeout: 10_000 });

  it("pages once while the budget burns, then resolves after recovery", async () => {
    const slo = gateway.running.slo;
    if (slo === undefined) throw new Error("SLO service not started");
    const client = gateway.client();

    expect(await send(client, 20)).toEqual(Array(20).fill(200));
    await counted(20);
    expect(slo.evaluate()).toEqual([]);

    clock.advance(minute);
    expect(await send(client, 20, "500")).toEqual(Array(20).fill(500));
    await counted(40);
    const fired = slo.evaluate().map((event) => `${event.action}:${event.severity}`);
    expect(fired).toContain("trigger:page");

    // The spike goes on; further evaluations stay quiet.
    expect(await send(client, 5, "500")).toEqual(Array(5).fill(500));
    await counted(45);
    expect(slo.evaluate()).toEqual([]);
    clock.advance(minute);
    expect(slo.evaluate()).toEqual([]);
    await slo.deliveries();
    expect(receiver.received.map((request) => request.path)).toEqual(["/generic", "/pagerduty"]);
    expect(receiver.received[0]?.body).toMatchObject({
      status: "firing",
      severity: "page",
      slo: "chat-availability",
      source: "e2e-gateway",
      dedupKey: "switchyard/slo/chat-availability/page",
    });
    expect(receiver.received[1]?.body).toMatchObject({
      routing_key: "test-routing-key",
      event_action: "trigger",
      dedup_key: "switchyard/slo/chat-availability/page",
      payload: { severity: "critical", source: "e2e-gateway" },
    });

    // An hour later, with healthy traffic, the short windows are clean.
    clock.advance(61 * minute);
    expect(await send(client, 10)).toEqual(Array(10).fill(200));
    await counted(55);
    expect(slo.evaluate().map((event) => `${event.action}:${event.severity}`)).toEqual(["resolve:page"]);
    expect(slo.evaluate()).toEqual([]);
    await slo.deliveries();
    expect(receiver.received.map((request) => request.path)).toEqual([
      "/generic",
      "/pagerduty",
      "/generic",
      "/pagerduty",
    ]);
    expect(receiver.received[2]?.body).toMatchObject({ status: "resolved", severity: "page" });
    expect(receiver.received[3]?.body).toEqual({
      routing_key: "test-routing-key",
      event_action: "resolve",
      dedup_key: "switchyard/slo/chat-availability/page",
    });
  });
});

describe("the SLO window across a restart", () => {
  it("keeps the counts in storage and reads them back at start", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "switchyard-slo-"));
    const clock = manualClock(Date.UTC(2026, 0, 5, 9, 0, 0));
    const start = () =>
      startSwitchyard(
        parseConfigText(
          sloConfig("http://127.0.0.1:1", `storage: { url: "sqlite:${path.join(dataDir, "gw.db")}" }`),
          path.join(dataDir, "switchyard.yaml"),
          { SWITCHYARD_MASTER_KEY: testMasterKey },
          { port: 0, host: "127.0.0.1", dataDir },
        ),
        pino({ level: "silent" }),
        { sloClock: clock.now },
      );
    try {
      const first = await start();
      const client = new OpenAI({ baseURL: `${first.url}/v1`, apiKey: testMasterKey, maxRetries: 0 });
      await send(client, 3);
      await send(client, 2, "500");
      await vi.waitFor(() => expect(first.slo?.statuses()[0]?.total).toBe(5), { timeout: 10_000 });
      await first.close();

      clock.advance(10 * minute);
      const second = await start();
      expect(second.slo?.statuses()[0]).toMatchObject({ good: 3, total: 5 });
      await second.close();
      // Closing again wrote nothing twice.
      const third = await start();
      expect(third.slo?.statuses()[0]).toMatchObject({ good: 3, total: 5 });
      await third.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
