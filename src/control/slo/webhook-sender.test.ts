import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startWebhookReceiver, type WebhookReceiver } from "../../../test/support/webhook-receiver.js";
import type { SloWebhookConfig } from "../../core/gateway-config.js";
import { WebhookSender } from "./webhook-sender.js";

let receiver: WebhookReceiver;
const failures: string[] = [];

beforeEach(async () => {
  receiver = await startWebhookReceiver();
  failures.length = 0;
});
afterEach(() => receiver.close());

function webhook(overrides: Partial<SloWebhookConfig> = {}): SloWebhookConfig {
  return {
    name: "ops",
    format: "generic",
    url: `${receiver.url}/hook`,
    routingKey: undefined,
    headers: { authorization: "Bearer hook-token" },
    severities: ["page", "ticket"],
    ...overrides,
  };
}

function sender(maxAttempts = 3): WebhookSender {
  return new WebhookSender({
    maxAttempts,
    retryBaseMs: 5,
    timeoutMs: 10_000,
    onFailure: (name, reason) => failures.push(`${name}: ${reason}`),
  });
}

describe("WebhookSender", () => {
  it("posts JSON with the configured headers, in order, retrying 5xx and 429", async () => {
    receiver.statuses.push(503, 429);
    const delivery = sender();
    delivery.send(webhook(), { message: 1 });
    delivery.send(webhook(), { message: 2 });
    await delivery.idle();
    expect(receiver.received.map((request) => request.body)).toEqual([{ message: 1 }, { message: 2 }]);
    expect(receiver.received[0]?.headers).toMatchObject({
      authorization: "Bearer hook-token",
      "content-type": "application/json",
    });
    expect(failures).toEqual([]);
  });

  it("gives up after the attempts are spent, reports it without the URL, and goes on with the next", async () => {
    receiver.statuses.push(500, 500, 500);
    const delivery = sender(3);
    delivery.send(webhook(), { message: "lost" });
    delivery.send(webhook(), { message: "next" });
    await delivery.idle();
    expect(failures).toEqual(["ops: HTTP 500"]);
    expect(receiver.received.map((request) => request.body)).toEqual([{ message: "next" }]);
  });

  it("does not retry other 4xx answers, nor fail on an unreachable receiver", async () => {
    receiver.statuses.push(400);
    const delivery = sender(3);
    delivery.send(webhook(), { message: "rejected" });
    delivery.send(webhook({ name: "gone", url: "http://127.0.0.1:1/hook" }), { message: "unreachable" });
    await delivery.idle();
    expect(failures).toHaveLength(2);
    expect(failures).toContain("ops: HTTP 400 (not retried)");
    expect(failures.find((failure) => failure.startsWith("gone: request failed"))).toBeDefined();
    expect(failures.join("\n")).not.toContain("127.0.0.1");
    expect(receiver.received).toEqual([]);
  });
});
