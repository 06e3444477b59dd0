import type { ServerResponse } from "node:http";
import type OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type MockAnswer,
  type MockOpenAiUpstream,
  openAiFixture,
  type RecordedRequest,
  startMockOpenAiUpstream,
} from "../support/mock-openai-upstream.js";
import {
  deleteRedisKeys,
  redisAvailability,
  redisTestUrl,
  uniqueRedisPrefix,
} from "../support/redis-test-server.js";
import { mockUpstreamConfig, startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

type ApiError = InstanceType<typeof OpenAI.APIError>;

const { skip, unreachable } = await redisAvailability("rate-limit e2e tests");
const prefix = uniqueRedisPrefix("rate-limits-e2e");
let upstream: MockOpenAiUpstream;
const started: TestGateway[] = [];

/** Two gateways with their own limiter and Redis connection, sharing counters through one Redis. */
async function twoGateways(limitsYaml: string, keyPrefix: string): Promise<[TestGateway, TestGateway]> {
  const yaml = mockUpstreamConfig(
    upstream.url,
    `limits:\n  redis: { url: "${redisTestUrl}", keyPrefix: "${prefix}${keyPrefix}:", commandTimeoutMs: 20000 }\n${limitsYaml}`,
  );
  const first = await startTestGateway(yaml);
  started.push(first);
  const second = await startTestGateway(yaml);
  started.push(second);
  return [first, second];
}

/** An upstream answer that waits for `release` before its body (streams: after the first event). */
function heldAnswer(release: Promise<void>, stream: boolean): MockAnswer {
  return (_request: RecordedRequest, response: ServerResponse) => {
    if (stream) {
      const events = openAiFixture("chat-completion.chunks.txt").split("\n\n");
      response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
      response.write(`${events[0]}\n\n`);
      void release.then(() => response.end(events.slice(1).join("\n\n")));
      return;
    }
    void release.then(() => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(openAiFixture("chat-completion.json"));
    });
  };
}

const releases: (() => void)[] = [];

function releasable(): { promise: Promise<void>; release: () => void } {
  const releasers: (() => void)[] = [];
  const promise = new Promise<void>((resolve) => {
    releasers.push(resolve);
  });
  const release = () => {
    for (const resolve of releasers) resolve();
  };
  releases.push(release);
  return { promise, release };
}

const ask = (gateway: TestGateway, content = "Say hello") =>
  gateway.client().chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content }] });

describe.skipIf(skip)(`rate limits shared through Redis at ${redisTestUrl}`, () => {
  beforeAll(async () => {
    if (unreachable !== undefined)
      throw new Error(`Redis at ${redisTestUrl} is unreachable (${unreachable})`);
    upstream = await startMockOpenAiUpstream();
  });
  afterEach(async () => {
    for (const release of releases.splice(0)) release();
    for (const gateway of started.splice(0)) await gateway.close();
    upstream.requests.length = 0;
  });
  afterAll(async () => {
    await upstream?.close();
    await deleteRedisKeys(prefix);
  });

  it("an RPM limit of N shared by two gateways admits exactly N requests in the window", async () => {
    const limit = 10;
    const [first, second] = await twoGateways(
      `  rules:\n    - { name: per-key-rpm, per: [key], requestsPerMinute: ${limit} }\n`,
      "rpm",
    );
    const outcomes = await Promise.allSettled(
      Array.from({ length: 3 * limit }, (_unused, index) => ask(index % 2 === 0 ? first : second)),
    );
    const admitted = outcomes.filter((outcome) => outcome.status === "fulfilled");
    const refused = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason] : []));
    // The window starts at the bucket's first request and lasts a minute, so the whole burst is one window.
    expect(admitted).toHaveLength(limit);
    expect(upstream.requests).toHaveLength(limit);
    expect(refused).toHaveLength(2 * limit);
    for (const error of refused as ApiError[]) {
      expect(error.status).toBe(429);
      expect(error.code).toBe("GW_ERR_RATE_LIMIT_EXCEEDED");
      expect(error.message).toContain("Rate limit 'per-key-rpm' reached: 10 requests per minute");
      expect(Number(error.headers?.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(Number(error.headers?.get("retry-after"))).toBeLessThanOrEqual(60);
      expect(error.headers?.get("x-ratelimit-limit-requests")).toBe(String(limit));
      expect(error.headers?.get("x-ratelimit-remaining-requests")).toBe("0");
      expect(error.headers?.get("x-ratelimit-reset-requests")).toMatch(/^(\d+ms|[\d.]+s|\d+m[\d.]+s)$/);
    }
    const refusals = await fetch(`${first.url}/metrics`).then((response) => response.text());
    const secondRefusals = await fetch(`${second.url}/metrics`).then((response) => response.text());
    const counted = [refusals, secondRefusals].map((text) =>
      Number(
        /switchyard_rate_limit_refusals_total\{rule="per-key-rpm",kind="requests"\} (\d+)/.exec(text)?.[1],
      ),
    );
    expect(counted.reduce((sum, value) => sum + value, 0)).toBe(2 * limit);
  }, 55_000);

  it("TPM with streams: the request whose reservation does not fit is refused before it starts; usage is reconciled", async () => {
    const [first, second] = await twoGateways(
      "  rules:\n    - { name: team-tpm, per: [key], tokensPerMinute: 800 }\n",
      "tpm",
    );
    const held = releasable();
    upstream.enqueue(heldAnswer(held.promise, true));
    const streamed = (gateway: TestGateway) =>
      gateway
        .client()
        .chat.completions.create({
          model: "gpt-4o",
          messages: [{ role: "user", content: "Say hello" }],
          max_tokens: 500,
          stream: true,
          stream_options: { include_usage: true },
        })
        .withResponse();
    const running = await streamed(first);
    const remainingWhileRunning = Number(running.response.headers.get("x-ratelimit-remaining-tokens"));
    expect(running.response.headers.get("x-ratelimit-limit-tokens")).toBe("800");
    const reservation = 800 - remainingWhileRunning;
    expect(reservation).toBeGreaterThan(500);

    const refused = (await streamed(second).catch((error: unknown) => error)) as ApiError;
    expect(refused.status).toBe(429);
    expect(refused.code).toBe("GW_ERR_RATE_LIMIT_EXCEEDED");
    expect(refused.message).toContain(
      `'team-tpm' reached: 800 tokens per minute (this request reserves ${reservation})`,
    );
    expect(refused.headers?.get("x-ratelimit-remaining-tokens")).toBe(String(remainingWhileRunning));
    expect(upstream.requests).toHaveLength(1);

    held.release();
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of running.data) usage = chunk.usage ?? usage;
    expect(usage?.total_tokens).toBe(15);

    // Settlement runs when the first response is over; once it has, the same request fits again and the
    // counter holds the first request's actual usage instead of its reservation.
    const admitted = await vi.waitFor(() => streamed(second), { timeout: 15_000, interval: 50 });
    for await (const _chunk of admitted.data) {
      // drain
    }
    expect(Number(admitted.response.headers.get("x-ratelimit-remaining-tokens"))).toBe(
      800 - 15 - reservation,
    );
  }, 60_000);

  it("a concurrency limit holds under 50 parallel requests across two gateways", async () => {
    const limit = 5;
    const [first, second] = await twoGateways(
      `  rules:\n    - { name: in-flight, concurrentRequests: ${limit} }\n`,
      "concurrent",
    );
    const held = releasable();
    upstream.enqueue(...Array.from({ length: 50 }, () => heldAnswer(held.promise, false)));
    let refusedSoFar = 0;
    const calls = Array.from({ length: 50 }, (_unused, index) =>
      ask(index % 2 === 0 ? first : second).catch((error: unknown) => {
        refusedSoFar += 1;
        throw error;
      }),
    );
    const outcomes = Promise.allSettled(calls);
    await vi.waitFor(() => expect(refusedSoFar).toBe(50 - limit), { timeout: 30_000, interval: 20 });
    expect(upstream.requests).toHaveLength(limit);
    held.release();
    const settled = await outcomes;
    expect(settled.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(limit);
    for (const outcome of settled) {
      if (outcome.status === "fulfilled") continue;
      const error = outcome.reason as ApiError;
      expect(error.status).toBe(429);
      expect(error.message).toContain("Rate limit 'in-flight' reached: 5 concurrent requests");
    }
    // Every slot is freed when its response is over.
    await vi.waitFor(
      async () => {
        const again = await Promise.allSettled(Array.from({ length: limit }, () => ask(first)));
        expect(again.every((outcome) => outcome.status === "fulfilled")).toBe(true);
      },
      { timeout: 15_000, interval: 50 },
    );
  }, 90_000);
});
