import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { KeyService } from "../../src/control/key-service.js";
import { type MockOpenAiUpstream, startMockOpenAiUpstream } from "../support/mock-openai-upstream.js";
import { scrapeMetric } from "../support/scrape-metric.js";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let upstream: MockOpenAiUpstream;
let gateway: TestGateway;
let keys: KeyService;

// The fixture answer (1117 prompt tokens, 1024 cached, 46 completion) costs $0.0019725 as gpt-4o and
// $0.00012411 as gpt-4o-mini (93·0.15 + 1024·0.075 + 46·0.60 per million).
beforeAll(async () => {
  upstream = await startMockOpenAiUpstream();
  gateway = await startTestGateway(`
providers:
  - { name: mock, type: openai-compatible, baseUrl: "${upstream.url}", apiKey: upstream-secret }
models:
  - { name: gpt-4o, targets: [{ provider: mock, model: gpt-4o-2024-08-06 }] }
  - { name: cheap, targets: [{ provider: mock, model: gpt-4o-mini }] }
  - { name: mystery, targets: [{ provider: mock, model: my-finetune }] }
keys: { refreshIntervalMs: 20 }
cost:
  budgets:
    - { name: per-key-daily, scope: key, match: [capped], period: day, limitUsd: 0.02, thresholds: [] }
    - name: downgrading
      scope: project
      match: [frugal]
      period: month
      timezone: Europe/Berlin
      limitUsd: 0.01
      thresholds: []
      downgrade: { model: cheap, atFraction: 0.2 }
`);
  keys = new KeyService(gateway.running.storage.keys);
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

async function keyClient(name: string, metadata: Record<string, string> = {}): Promise<OpenAI> {
  const { secret } = await keys.create({ name, metadata });
  const client = gateway.client(secret);
  await vi.waitFor(() => client.models.list(), { timeout: 5_000, interval: 20 });
  return client;
}

const ask = (client: OpenAI, model: string, maxTokens = 100) =>
  client.chat.completions
    .create({ model, messages: [{ role: "user", content: "hello" }], max_tokens: maxTokens })
    .withResponse();

describe("hard budgets", () => {
  it("refuses with 402 GW_ERR_BUDGET_EXCEEDED, naming the budget, with Retry-After to the period's end", async () => {
    const client = await keyClient("capped");
    // Each request reserves (6 + 1 prompt + 1000 output tokens) at gpt-4o's dearest rates: about $0.01;
    // two reservations do not fit in $0.02 at once, but settled requests free their unused share.
    const first = await ask(client, "gpt-4o", 1000);
    expect(first.response.status).toBe(200);
    const outcomes: (number | string)[] = [];
    for (let index = 0; index < 12; index += 1) {
      outcomes.push(
        await ask(client, "gpt-4o", 1000).then(
          ({ response }) => response.status,
          (error: unknown) => {
            if (!(error instanceof OpenAI.APIError)) throw error;
            expect(error.status).toBe(402);
            expect(error.code).toBe("GW_ERR_BUDGET_EXCEEDED");
            expect(error.type).toBe("insufficient_quota");
            expect(error.message).toMatch(
              /Budget 'per-key-daily' for key '[0-9a-f-]+' cannot cover this request/,
            );
            const retryAfter = Number(error.headers?.get("retry-after"));
            expect(retryAfter).toBeGreaterThan(0);
            expect(retryAfter).toBeLessThanOrEqual(86_400);
            return "refused";
          },
        ),
      );
    }
    // $0.02 holds 10 actual requests of $0.0019725 (the 11th settled one would pass it); the reservation
    // (~$0.0100) refuses once less than that is left: after 5 requests at the latest.
    const accepted = 1 + outcomes.filter((outcome) => outcome === 200).length;
    expect(outcomes).toContain("refused");
    expect(accepted * 0.0019725).toBeLessThanOrEqual(0.02);
    expect(
      await scrapeMetric(
        gateway.url,
        'switchyard_budget_refusals_total{budget_scope="key",reason="exceeded"}',
      ),
    ).toBe(outcomes.filter((outcome) => outcome === "refused").length);
  });

  it("does not touch callers outside its match", async () => {
    const client = await keyClient("uncapped");
    for (let index = 0; index < 12; index += 1)
      expect((await ask(client, "gpt-4o", 1000)).response.status).toBe(200);
  });

  it("refuses a model without a price for a budgeted caller (unpricedModels: block)", async () => {
    const client = await keyClient("capped-too", { project: "frugal" });
    const error = await ask(client, "mystery").catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe("GW_ERR_BUDGET_MODEL_UNPRICED");
    expect(
      await scrapeMetric(
        gateway.url,
        'switchyard_budget_refusals_total{budget_scope="any",reason="unpriced"}',
      ),
    ).toBe(1);
  });
});

describe("downgrade policy", () => {
  it("routes to the cheaper model once the budget is nearly spent", async () => {
    const client = await keyClient("frugal-key", { project: "frugal" });
    const targets: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const { response } = await ask(client, "gpt-4o", 10);
      targets.push(response.headers.get("x-switchyard-target") ?? "");
    }
    // $0.0019725 is 19.7% of $0.01 — below 20%, so the second request still gets gpt-4o; after it, 39%.
    expect(targets).toEqual(["mock/gpt-4o-2024-08-06", "mock/gpt-4o-2024-08-06", "mock/gpt-4o-mini"]);
  });
});

describe("budget counters unavailable", () => {
  it("refuses with 503 GW_ERR_BUDGET_UNAVAILABLE when Redis does not answer", async () => {
    const isolated = await startTestGateway(`
providers:
  - { name: mock, type: openai-compatible, baseUrl: "${upstream.url}", apiKey: upstream-secret }
models:
  - { name: gpt-4o, targets: [{ provider: mock, model: gpt-4o-2024-08-06 }] }
cost:
  redis: { url: "redis://127.0.0.1:1" }
  budgets:
    - { name: master, scope: key, period: day, limitUsd: 1 }
`);
    try {
      const error = await ask(isolated.client(), "gpt-4o").catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
      expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe("GW_ERR_BUDGET_UNAVAILABLE");
      expect(
        await scrapeMetric(
          isolated.url,
          'switchyard_budget_refusals_total{budget_scope="any",reason="unavailable"}',
        ),
      ).toBe(1);
    } finally {
      await isolated.close();
    }
  });
});
