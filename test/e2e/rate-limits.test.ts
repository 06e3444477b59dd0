import type OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { KeyService } from "../../src/control/key-service.js";
import { hashEndUser } from "../../src/gateway/limits/request-attribution.js";
import {
  answers,
  type MockOpenAiUpstream,
  startMockOpenAiUpstream,
} from "../support/mock-openai-upstream.js";
import { mockUpstreamConfig, startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

type ApiError = InstanceType<typeof OpenAI.APIError>;

let upstream: MockOpenAiUpstream;
let gateway: TestGateway;
let keys: KeyService;

// One gateway, counters in its memory; each rule is scoped so the tests do not share counters.
const limits = `
limits:
  defaultMaxOutputTokens: 100
  rules:
    - { name: per-user, per: [user], scope: { models: [gpt-4o] }, requestsPerMinute: 2 }
    - { name: search-team, per: [team], scope: { teams: [search] }, requestsPerMinute: 3 }
    - name: embeddings-tpm
      scope: { models: [text-embedding-3-small] }
      tokensPerMinute: 50
    - name: resilient-tpm
      per: [key, model]
      scope: { models: [resilient] }
      tokensPerMinute: 5000
`;

beforeAll(async () => {
  upstream = await startMockOpenAiUpstream();
  gateway = await startTestGateway(mockUpstreamConfig(upstream.url, limits));
  keys = new KeyService(gateway.running.storage.keys);
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.requests.length = 0;
});

const hello: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "hello" }];

describe("rate limits in one gateway's memory", () => {
  it("counts end users apart, from the x-switchyard-user header or the body's user field", async () => {
    const client = gateway.client();
    const asAlice = () =>
      client.chat.completions.create(
        { model: "gpt-4o", messages: hello },
        { headers: { "x-switchyard-user": "alice@example.com" } },
      );
    await asAlice();
    // The body's `user` names the same end user: it shares Alice's counter.
    await client.chat.completions.create({ model: "gpt-4o", messages: hello, user: "alice@example.com" });
    const refused = (await asAlice().catch((error: unknown) => error)) as ApiError;
    expect(refused.status).toBe(429);
    expect(refused.message).toContain("Rate limit 'per-user' reached: 2 requests per minute");
    // Another end user, and requests naming none, are not held back by Alice's counter.
    await client.chat.completions.create({ model: "gpt-4o", messages: hello, user: "bob@example.com" });
    for (let index = 0; index < 3; index += 1) {
      const { response } = await client.chat.completions
        .create({ model: "gpt-4o", messages: hello })
        .withResponse();
      expect(response.headers.get("x-ratelimit-limit-requests")).toBeNull();
    }
    expect(upstream.requests).toHaveLength(6);
    const metrics = await fetch(`${gateway.url}/metrics`).then((response) => response.text());
    expect(metrics).toContain('switchyard_rate_limit_refusals_total{rule="per-user",kind="requests"} 1');
    expect(metrics).not.toContain("alice");
    // The request log attributes requests to the hashed end user, never the id itself.
    await gateway.running.flushRequestLog();
    const rows = await gateway.running.storage.requestLogs.query({ limit: 6 });
    expect(rows.map((row) => row.endUser).sort()).toEqual(
      [
        ...Array(3).fill(null),
        hashEndUser("alice@example.com"),
        hashEndUser("alice@example.com"),
        hashEndUser("bob@example.com"),
      ].sort(),
    );
    expect(JSON.stringify(rows)).not.toContain("example.com");
  });

  it("shares a team's counter among the team's keys (from the key's team metadata) and leaves other keys alone", async () => {
    const searchOne = await keys.create({ name: "search-one", metadata: { team: "search" } });
    const searchTwo = await keys.create({ name: "search-two", metadata: { team: "search" } });
    const other = await keys.create({ name: "ads", metadata: { team: "ads" } });
    const [one, two, ads] = [searchOne, searchTwo, other].map((created) => gateway.client(created.secret));
    if (one === undefined || two === undefined || ads === undefined)
      throw new Error("three clients expected");
    await vi.waitFor(() => ads.models.list(), { timeout: 5_000, interval: 20 });
    const ask = (client: OpenAI) =>
      client.chat.completions.create({ model: "gpt-4o", messages: hello, max_tokens: 1 });
    await ask(one);
    await ask(two);
    const { response } = await one.chat.completions
      .create({ model: "gpt-4o", messages: hello, max_tokens: 1 })
      .withResponse();
    expect(response.headers.get("x-ratelimit-limit-requests")).toBe("3");
    expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    const refused = (await ask(two).catch((error: unknown) => error)) as ApiError;
    expect(refused.code).toBe("GW_ERR_RATE_LIMIT_EXCEEDED");
    expect(refused.message).toContain("'search-team'");
    for (let index = 0; index < 4; index += 1) await ask(ads);
  });

  it("refuses a request whose estimate can never fit a tokens-per-minute limit, without retry", async () => {
    const refused = (await gateway
      .client()
      .embeddings.create({ model: "text-embedding-3-small", input: "word ".repeat(60) })
      .catch((error: unknown) => error)) as ApiError;
    expect(refused.status).toBe(400);
    expect(refused.code).toBe("GW_ERR_RATE_LIMIT_REQUEST_TOO_LARGE");
    expect(refused.message).toContain("rate limit 'embeddings-tpm'");
    expect(upstream.requests).toHaveLength(0);
    const { response } = await gateway
      .client()
      .embeddings.create({ model: "text-embedding-3-small", input: "short text" })
      .withResponse();
    expect(response.headers.get("x-ratelimit-limit-tokens")).toBe("50");
  });

  it("gives back a failed request's token reservation, and counts the reported usage of a served one", async () => {
    const { secret } = await keys.create({ name: "tpm-settlement" });
    const client = gateway.client(secret);
    await vi.waitFor(() => client.models.list(), { timeout: 5_000, interval: 20 });
    const call = () =>
      client.chat.completions.create({ model: "resilient", messages: hello, max_tokens: 200 }).withResponse();
    upstream.enqueue(answers.json(400, '{"error":{"message":"bad","type":"invalid_request_error"}}'));
    const failed = (await call().catch((error: unknown) => error)) as ApiError;
    expect(failed.status).toBe(400);
    const reserved = 5000 - Number(failed.headers?.get("x-ratelimit-remaining-tokens"));
    expect(reserved).toBeGreaterThan(200);
    // A request is settled when it completes, in the same step that counts it in the metrics; wait for that.
    await untilCompleted("400");
    const served = await call();
    expect(Number(served.response.headers.get("x-ratelimit-remaining-tokens"))).toBe(5000 - reserved);
    const usage = served.data.usage?.total_tokens ?? 0;
    expect(usage).toBe(1163);
    await untilCompleted("200");
    const next = await call();
    expect(Number(next.response.headers.get("x-ratelimit-remaining-tokens"))).toBe(5000 - usage - reserved);
  });
});

/** Waits until the gateway has completed one `resilient` request with this status (side-effect free). */
async function untilCompleted(status: string): Promise<void> {
  const series = new RegExp(
    `switchyard_requests_total\\{[^}]*model_group="resilient"[^}]*status="${status}"\\} 1\\b`,
  );
  await vi.waitFor(
    async () =>
      expect(await fetch(`${gateway.url}/metrics`).then((response) => response.text())).toMatch(series),
    { timeout: 5_000, interval: 20 },
  );
}
