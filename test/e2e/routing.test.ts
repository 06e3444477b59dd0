import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { seededRandom } from "../support/routing-table.js";
import { scrapeMetric } from "../support/scrape-metric.js";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  gateway = await startTestGateway(
    `
providers:
  - name: sim-a
    type: simulator
    simulator: { latencyMs: 0, tokensPerSecond: 0 }
  - name: sim-b
    type: simulator
    simulator: { latencyMs: 0, tokensPerSecond: 0 }
  - name: sim-slow
    type: simulator
    simulator: { latencyMs: 2000, tokensPerSecond: 0 }
models:
  - name: fastest
    strategy: least-latency
    targets:
      - provider: sim-slow
      - provider: sim-b
  - name: split
    strategy: weighted
    targets:
      - { provider: sim-a, weight: 3 }
      - { provider: sim-b, weight: 1 }
  - name: busy
    strategy: least-busy
    targets:
      - provider: sim-a
      - provider: sim-b
  - name: short
    contextFallback: long
    targets:
      - { provider: sim-a, capabilities: { contextWindow: 200 } }
  - name: long
    targets:
      - { provider: sim-b, capabilities: { contextWindow: 100000 } }
  - name: tiny
    targets:
      - { provider: sim-a, capabilities: { contextWindow: 50 } }
  - name: guarded
    targets:
      - provider: sim-b
  - name: priced
    strategy: cost
    targets:
      - { provider: sim-a, model: premium, pricing: { inputPerMTok: 5, outputPerMTok: 15 } }
      - provider: sim-b
        model: budget
        pricing: { inputPerMTok: 0.1, outputPerMTok: 0.4 }
        capabilities: { tools: false }
routing:
  rules:
    - name: high-risk
      when: { models: [split], headers: { x-switchyard-risk-tier: [high] } }
      use: { group: guarded }
`,
    {},
    { routingRandom: seededRandom(20_261_128) },
  );
  client = gateway.client();
});
afterAll(() => gateway.close());

const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "Which track?" }];

async function servedBy(
  model: string,
  options: OpenAI.RequestOptions = {},
  body: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {},
) {
  const { response } = await client.chat.completions
    .create({ model, messages, max_tokens: 5, ...body }, options)
    .withResponse();
  return response.headers.get("x-switchyard-target");
}

describe("routing strategies end to end", () => {
  it("splits a weighted group 3:1 over many requests", async () => {
    const total = 400;
    const counts = new Map<string, number>();
    for (let batch = 0; batch < total / 8; batch += 1) {
      const targets = await Promise.all(Array.from({ length: 8 }, () => servedBy("split")));
      for (const target of targets) counts.set(String(target), (counts.get(String(target)) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(["sim-a/split", "sim-b/split"]);
    const share = (counts.get("sim-a/split") ?? 0) / total;
    // Expected 0.75; with 400 draws the standard deviation is about 0.022.
    expect(share).toBeGreaterThan(0.68);
    expect(share).toBeLessThan(0.82);
  });

  it("sends least-busy traffic to the idle target while the other holds a stalled stream", async () => {
    const inFlightOnA = () => scrapeMetric(gateway.url, 'switchyard_target_in_flight{target="sim-a/busy"}');
    expect(await servedBy("busy")).toBe("sim-a/busy");
    const stalled = await client.chat.completions.create(
      { model: "busy", messages, stream: true },
      { headers: { "x-simulator-fault": "stall" } },
    );
    await vi.waitFor(async () => expect(await inFlightOnA()).toBe(1), { timeout: 10_000 });
    for (let request = 0; request < 5; request += 1) expect(await servedBy("busy")).toBe("sim-b/busy");
    stalled.controller.abort();
    await vi.waitFor(async () => expect(await inFlightOnA()).toBe(0), { timeout: 10_000 });
    expect(await servedBy("busy")).toBe("sim-a/busy");
  });

  it("samples each least-latency target once, then keeps to the faster one", async () => {
    // Unmeasured targets go first, in config order; then the lower smoothed latency wins (2 s vs. none).
    expect(await servedBy("fastest")).toBe("sim-slow/fastest");
    expect(await servedBy("fastest")).toBe("sim-b/fastest");
    for (let request = 0; request < 4; request += 1) expect(await servedBy("fastest")).toBe("sim-b/fastest");
  });

  it("serves from the cheapest target that supports what the request asks for", async () => {
    expect(await servedBy("priced")).toBe("sim-b/budget");
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: "function", function: { name: "lookup", parameters: { type: "object", properties: {} } } },
    ];
    expect(await servedBy("priced", {}, { tools })).toBe("sim-a/premium");
  });

  it("routes by a header rule to another group", async () => {
    expect(await servedBy("split", { headers: { "x-switchyard-risk-tier": "high" } })).toBe("sim-b/guarded");
  });

  it("moves a request too long for the window to the context fallback, and answers 400 when nothing fits", async () => {
    expect(await servedBy("short")).toBe("sim-a/short");
    const long: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "word ".repeat(400) }];
    expect(await servedBy("short", {}, { messages: long })).toBe("sim-b/long");
    const failure = await client.chat.completions
      .create({ model: "tiny", messages: long })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect(failure).toMatchObject({ status: 400, code: "GW_ERR_ROUTING_CONTEXT_TOO_LONG" });
  });
});
