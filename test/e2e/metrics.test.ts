import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { KeyService } from "../../src/control/key-service.js";
import {
  answers,
  type MockOpenAiUpstream,
  openAiFixture,
  startMockOpenAiUpstream,
} from "../support/mock-openai-upstream.js";
import { testDetectors } from "../support/safety-test-policies.js";
import { mockUpstreamConfig, startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let upstream: MockOpenAiUpstream;
let gateway: TestGateway;
const keySecrets: string[] = [];
const keyIds: string[] = [];
const requestIds: string[] = [];
const endUsers: string[] = [];

beforeAll(async () => {
  upstream = await startMockOpenAiUpstream();
  // Every round sends one failure to the primary target of "resilient"; the breaker stays off so that each
  // round's failure reaches the primary instead of it being skipped after a few rounds.
  const extra = `
resilience:
  circuitBreaker: { enabled: false }
safety:
  policies:
    - { name: redact-email, stages: [input], detectors: [pii], types: [EMAIL_ADDRESS], action: redact }
`;
  gateway = await startTestGateway(mockUpstreamConfig(upstream.url, extra), {}, { detectors: testDetectors });
  const keys = new KeyService(gateway.running.storage.keys);
  for (const [index, metadata] of [
    { team: "search", project: "ranker" },
    { team: "search", project: "ranker" },
    {},
  ].entries()) {
    const created = await keys.create({ name: `key-${index}`, metadata });
    keySecrets.push(created.secret);
    keyIds.push(created.record.id);
  }
  await vi.waitFor(async () => {
    for (const secret of keySecrets) {
      const response = await fetch(`${gateway.url}/v1/models`, {
        headers: { authorization: `Bearer ${secret}` },
      });
      expect(response.status).toBe(200);
    }
  });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

async function scrape(): Promise<string> {
  const response = await fetch(`${gateway.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  return response.text();
}

/** Series lines (not comments) of the gateway's own metrics. */
function gatewaySeries(text: string): string[] {
  return text.split("\n").filter((line) => line.startsWith("switchyard_"));
}

/** One round of every kind of traffic, each request from a new end user and with a new request id. */
async function trafficRound(round: number): Promise<void> {
  const key = keySecrets[round % 2] as string;
  const user = `end-user-${round}-${Math.random().toString(36).slice(2)}`;
  endUsers.push(user);
  const client = gateway.client(key);
  const { response } = await client.chat.completions
    .create({ model: "gpt-4o", messages: [{ role: "user", content: "hello" }], user })
    .withResponse();
  requestIds.push(String(response.headers.get("x-request-id")));
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: `write to ${user}@example.com` }],
    stream: true,
    user,
  });
  for await (const _chunk of stream) {
    // drain
  }
  upstream.enqueue(answers.json(500, openAiFixture("error-500.json")));
  await client.chat.completions.create({
    model: "resilient",
    messages: [{ role: "user", content: "x" }],
    user,
  });
  upstream.enqueue(answers.json(500, openAiFixture("error-500.json")));
  await expect(
    gateway
      .client(keySecrets[2])
      .chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] }),
  ).rejects.toMatchObject({ status: 500 });
  await client.embeddings.create({ model: "text-embedding-3-small", input: "hello", user });
}

describe("GET /metrics", () => {
  it("exposes request, latency, TTFT, token, attempt and policy metrics with bounded labels, lint-clean for promtool", async () => {
    await trafficRound(0);
    await trafficRound(1);
    const text = await scrape();

    expect(text).toMatch(
      /switchyard_requests_total\{operation="chat.completions",model_group="gpt-4o",provider="mock",target="mock\/gpt-4o-2024-08-06",status="200"\} [1-9]/,
    );
    expect(text).toMatch(
      /switchyard_requests_total\{operation="chat.completions",model_group="resilient",provider="backup",target="backup\/backup-model",status="200"\} 2/,
    );
    expect(text).toMatch(
      /switchyard_request_duration_seconds_bucket\{operation="embeddings",model_group="text-embedding-3-small",target="mock\/text-embedding-3-small",status="200",le="\+Inf"\} 2/,
    );
    expect(text).toMatch(
      /switchyard_time_to_first_token_seconds_count\{model_group="gpt-4o",target="mock\/gpt-4o-2024-08-06"\} 2/,
    );
    expect(text).toMatch(/switchyard_gateway_overhead_seconds_count [1-9]/);
    expect(text).toContain(
      'switchyard_tokens_total{model_group="gpt-4o",provider="mock",team="search",project="ranker",direction="input"}',
    );
    expect(text).toContain(
      'switchyard_tokens_total{model_group="gpt-4o",provider="mock",team="",project="",direction="input"}',
    );
    expect(text).toMatch(/switchyard_upstream_attempts_total\{target="mock\/primary-model",status="500"\} 2/);
    expect(text).toMatch(
      /switchyard_upstream_attempts_total\{target="backup\/backup-model",status="200"\} 2/,
    );
    expect(text).toMatch(
      /switchyard_policy_actions_total\{policy="redact-email",stage="input",family="pii",action="redact",dry_run="false"\} 2/,
    );
    expect(text).toContain("# TYPE switchyard_cost_usd_total counter");
    expect(text).toMatch(/switchyard_request_log_queue_rows \d+/);
    expect(text).toContain("# TYPE nodejs_eventloop_lag_seconds gauge");
    expect(text).toContain("# TYPE process_cpu_seconds_total counter");

    const check = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    if (check.error !== undefined) {
      throw new Error(
        `promtool is needed (Debian package prometheus; .ci/run installs it): ${check.error.message}`,
      );
    }
    expect(`${check.stdout}${check.stderr}`).toBe("");
    expect(check.status).toBe(0);
  });

  it("keeps label cardinality bounded: more users, keys and requests add no series, and no ids appear", async () => {
    const before = gatewaySeries(await scrape()).map((line) => line.replace(/ [^ ]+$/, ""));
    for (let round = 2; round < 8; round += 1) await trafficRound(round);
    const text = await scrape();
    const after = gatewaySeries(text).map((line) => line.replace(/ [^ ]+$/, ""));
    expect(after).toEqual(before);
    expect(requestIds).toHaveLength(8);
    for (const id of [...requestIds, ...keyIds, ...endUsers]) expect(text).not.toContain(id);
  });
});
