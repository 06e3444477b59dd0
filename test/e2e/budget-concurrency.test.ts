import { countTokens } from "gpt-tokenizer";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { KeyService } from "../../src/control/key-service.js";
import type { MockAnswer, MockOpenAiUpstream } from "../support/mock-openai-upstream.js";
import { startMockOpenAiUpstream } from "../support/mock-openai-upstream.js";
import { redisAvailability, redisTestUrl, uniqueRedisPrefix } from "../support/redis-availability.js";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

// $0.001 per token in and out. A request reserves its counted prompt plus max_tokens; it costs 7 + 20 tokens.
const pricePerToken = 0.001;
const prompt = "hi";
const maxTokens = 50;
const reservationUsd = (3 + 3 + countTokens(prompt) + maxTokens) * pricePerToken;
const actualUsd = (7 + 20) * pricePerToken;
// Room for ten reservations (plus a hair, so rounding to nano-USD cannot make it nine).
const limitUsd = Number((10 * reservationUsd + 0.0005).toFixed(6));
const concurrentRequests = 200;

/** Answers after a short upstream latency, so admitted requests hold their reservations concurrently. */
const meteredAnswer: MockAnswer = (request, response) => {
  setTimeout(() => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(
      JSON.stringify({
        id: "chatcmpl-budget",
        object: "chat.completion",
        created: 1,
        model: request.body.model,
        choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
        usage: { prompt_tokens: 7, completion_tokens: 20, total_tokens: 27 },
      }),
    );
  }, 20);
};

function budgetConfig(upstreamUrl: string, redis = ""): string {
  return `
providers:
  - { name: mock, type: openai-compatible, baseUrl: "${upstreamUrl}", apiKey: upstream-secret }
models:
  - { name: metered, targets: [{ provider: mock, model: metered-model }] }
keys: { refreshIntervalMs: 20 }
requestLog: { flushIntervalMs: 60000 }
cost:
  prices: { metered-model: { input: ${pricePerToken * 1e6}, output: ${pricePerToken * 1e6} } }
  ${redis}
  budgets:
    - { name: team-daily, scope: team, period: day, limitUsd: ${limitUsd}, thresholds: [] }
`;
}

async function teamClient(gateway: TestGateway): Promise<OpenAI> {
  const { secret } = await new KeyService(gateway.running.storage.keys).create({
    name: "search-key",
    metadata: { team: "search" },
  });
  const client = gateway.client(secret);
  await vi.waitFor(() => client.models.list(), { timeout: 5_000, interval: 20 });
  return client;
}

interface Outcome {
  readonly accepted: number;
  readonly refused: number;
  readonly other: string[];
}

async function hammer(clients: readonly OpenAI[], total: number): Promise<Outcome> {
  const results = await Promise.all(
    Array.from({ length: total }, (_, index) =>
      (clients[index % clients.length] as OpenAI).chat.completions
        .create({ model: "metered", messages: [{ role: "user", content: prompt }], max_tokens: maxTokens })
        .then(
          () => "accepted",
          (error: unknown) =>
            error instanceof OpenAI.APIError &&
            error.status === 402 &&
            error.code === "GW_ERR_BUDGET_EXCEEDED"
              ? "refused"
              : String(error),
        ),
    ),
  );
  return {
    accepted: results.filter((result) => result === "accepted").length,
    refused: results.filter((result) => result === "refused").length,
    other: results.filter((result) => result !== "accepted" && result !== "refused"),
  };
}

async function spentUsd(gateways: readonly TestGateway[]): Promise<number> {
  let total = 0;
  for (const gateway of gateways) {
    await gateway.running.flushRequestLog();
    const rows = await gateway.running.storage.requestLogs.query({ limit: 10_000 });
    for (const row of rows) total += row.costUsd ?? 0;
  }
  return total;
}

const redis = await redisAvailability("budget e2e with Redis");
let upstream: MockOpenAiUpstream;
beforeAll(async () => {
  upstream = await startMockOpenAiUpstream();
});
afterAll(async () => {
  await upstream.close();
});

function enqueueAnswers(count: number): void {
  upstream.enqueue(...Array.from({ length: count }, () => meteredAnswer));
}

/** Logged by the summary so the closing note can quote the measured figures. */
function report(label: string, outcome: Outcome, spent: number): void {
  console.info(
    `${label}: ${outcome.accepted} accepted, ${outcome.refused} refused; spent $${spent.toFixed(6)} of ` +
      `$${limitUsd} (one reservation: $${reservationUsd.toFixed(6)}, overspend $${Math.max(0, spent - limitUsd).toFixed(6)})`,
  );
}

describe("a hard budget under 200 concurrent requests", () => {
  it("single node (in-memory counters): overspend stays within one request's reservation", async () => {
    const gateway = await startTestGateway(budgetConfig(upstream.url));
    try {
      const client = await teamClient(gateway);
      enqueueAnswers(concurrentRequests);
      const outcome = await hammer([client], concurrentRequests);
      const spent = await spentUsd([gateway]);
      report("single node", outcome, spent);
      expect(outcome.other).toEqual([]);
      expect(outcome.accepted).toBeGreaterThanOrEqual(10);
      expect(outcome.refused).toBeGreaterThan(0);
      expect(outcome.accepted + outcome.refused).toBe(concurrentRequests);
      expect(spent).toBeCloseTo(outcome.accepted * actualUsd, 9);
      expect(spent).toBeLessThanOrEqual(limitUsd + reservationUsd);
    } finally {
      await gateway.close();
    }
  });

  it.skipIf(redis.skip)(
    "two nodes sharing Redis counters: overspend stays within one reservation",
    async () => {
      if (redis.unreachable !== undefined) throw new Error(`Redis is unreachable: ${redis.unreachable}`);
      const shared = `redis: { url: "${redisTestUrl}", keyPrefix: "${uniqueRedisPrefix()}" }`;
      const first = await startTestGateway(budgetConfig(upstream.url, shared));
      const second = await startTestGateway(budgetConfig(upstream.url, shared));
      try {
        const clients = [await teamClient(first), await teamClient(second)];
        enqueueAnswers(concurrentRequests);
        const outcome = await hammer(clients, concurrentRequests);
        const spent = await spentUsd([first, second]);
        report("two nodes on Redis", outcome, spent);
        expect(outcome.other).toEqual([]);
        expect(outcome.accepted).toBeGreaterThanOrEqual(10);
        expect(outcome.refused).toBeGreaterThan(0);
        expect(spent).toBeCloseTo(outcome.accepted * actualUsd, 9);
        expect(spent).toBeLessThanOrEqual(limitUsd + reservationUsd);
      } finally {
        await first.close();
        await second.close();
      }
    },
  );
});
