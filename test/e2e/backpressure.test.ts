import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseConfigText } from "../../src/config/load-config.js";
import { scrapeMetric } from "../support/scrape-metric.js";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "Is there room?" }];
const stall = { headers: { "x-simulator-fault": "stall" } };

function config(backpressure: string, targetLimit = ""): string {
  return `
providers:
  - name: sim
    type: simulator
    simulator: { latencyMs: 0, tokensPerSecond: 0 }
models:
  - name: chat
    targets:
      - { provider: sim${targetLimit} }
backpressure: ${backpressure}
`;
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => "succeeded",
    (error: unknown) => error,
  );
}

describe("backpressure: queue full", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway(
      config("{ maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: 60000, retryAfterSeconds: 3 }"),
    );
  });
  afterAll(() => gateway.close());

  it("holds a slot for a stream's whole life, queues the next request and sheds the one after with 503", async () => {
    const client = gateway.client();
    const metric = (name: string) => scrapeMetric(gateway.url, name);
    const holder = await client.chat.completions.create({ model: "chat", messages, stream: true }, stall);
    expect(await metric("switchyard_admission_active")).toBe(1);
    const queued = client.chat.completions.create({ model: "chat", messages });
    await vi.waitFor(async () => expect(await metric("switchyard_admission_queue_depth")).toBe(1), {
      timeout: 10_000,
    });
    const shed = await failureOf(client.chat.completions.create({ model: "chat", messages }));
    expect(shed).toBeInstanceOf(OpenAI.InternalServerError);
    expect(shed).toMatchObject({
      status: 503,
      code: "GW_ERR_OVERLOADED_QUEUE_FULL",
      type: "overloaded_error",
    });
    expect((shed as InstanceType<typeof OpenAI.APIError>).headers?.get("retry-after")).toBe("3");
    expect(await metric('switchyard_shed_total{reason="queue-full"}')).toBe(1);
    holder.controller.abort();
    const answer = await queued;
    expect(answer.choices[0]?.message.content?.length).toBeGreaterThan(0);
    await vi.waitFor(async () => expect(await metric("switchyard_admission_active")).toBe(0), {
      timeout: 10_000,
    });
    expect(await metric("switchyard_admission_queue_depth")).toBe(0);
  });
});

describe("backpressure: queue timeout and per-target limit", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway(config("{ maxQueue: 5, queueTimeoutMs: 300 }", ", maxConcurrency: 1"));
  });
  afterAll(() => gateway.close());

  it("sheds a request that waited queueTimeoutMs for a target at its limit", async () => {
    const client = gateway.client();
    const holder = await client.chat.completions.create({ model: "chat", messages, stream: true }, stall);
    const timedOut = await failureOf(client.chat.completions.create({ model: "chat", messages }));
    expect(timedOut).toMatchObject({ status: 503, code: "GW_ERR_OVERLOADED_QUEUE_TIMEOUT" });
    expect((timedOut as InstanceType<typeof OpenAI.APIError>).headers?.get("retry-after")).toBe("1");
    expect(await scrapeMetric(gateway.url, 'switchyard_shed_total{reason="queue-timeout"}')).toBe(1);
    holder.controller.abort();
    await vi.waitFor(
      async () =>
        expect(await scrapeMetric(gateway.url, 'switchyard_target_in_flight{target="sim/chat"}')).toBe(0),
      { timeout: 10_000 },
    );
    const answer = await client.chat.completions.create({ model: "chat", messages });
    expect(answer.choices).toHaveLength(1);
  });
});

describe("backpressure: reload", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway(config("{ maxConcurrent: 1, maxQueue: 0 }"));
  });
  afterAll(() => gateway.close());

  it("applies new limits on reload, and the in-flight figures survive it", async () => {
    const client = gateway.client();
    const holder = await client.chat.completions.create({ model: "chat", messages, stream: true }, stall);
    const shed = await failureOf(client.chat.completions.create({ model: "chat", messages }));
    expect(shed).toMatchObject({ status: 503, code: "GW_ERR_OVERLOADED_QUEUE_FULL" });
    const next = parseConfigText(
      config("{ maxConcurrent: 2, maxQueue: 0 }"),
      "reloaded.yaml",
      {},
      {
        port: 0,
        host: "127.0.0.1",
        dataDir: gateway.dataDir,
      },
    );
    expect(await gateway.running.reload(next)).toEqual([]);
    expect(await scrapeMetric(gateway.url, 'switchyard_target_in_flight{target="sim/chat"}')).toBe(1);
    const answer = await client.chat.completions.create({ model: "chat", messages });
    expect(answer.choices).toHaveLength(1);
    holder.controller.abort();
    await vi.waitFor(
      async () => expect(await scrapeMetric(gateway.url, "switchyard_admission_active")).toBe(0),
      { timeout: 10_000 },
    );
  });
});
