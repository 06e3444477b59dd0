import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { countTokens } from "gpt-tokenizer";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { KeyService } from "../../src/control/key-service.js";
import {
  answers,
  type MockOpenAiUpstream,
  startMockOpenAiUpstream,
} from "../support/mock-openai-upstream.js";
import { mockUpstreamConfig, startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let upstream: MockOpenAiUpstream;
let gateway: TestGateway;
let keys: KeyService;
let webhookServer: Server;
const webhooks: Record<string, unknown>[] = [];

beforeAll(async () => {
  upstream = await startMockOpenAiUpstream();
  webhookServer = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
    });
    request.on("end", () => {
      webhooks.push(JSON.parse(text) as Record<string, unknown>);
      response.end();
    });
  });
  await new Promise<void>((resolve) => webhookServer.listen(0, "127.0.0.1", resolve));
  const webhookUrl = `http://127.0.0.1:${(webhookServer.address() as AddressInfo).port}/budget`;
  gateway = await startTestGateway(
    mockUpstreamConfig(
      upstream.url,
      `
cost:
  webhook: { url: "${webhookUrl}" }
  budgets:
    - name: alerts-only
      scope: project
      match: [alerting]
      period: month
      limitUsd: 0.004
      hard: false
      thresholds: [0.5, 1]
`,
    ),
  );
  keys = new KeyService(gateway.running.storage.keys);
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
  await new Promise((resolve) => webhookServer.close(resolve));
});

async function keyClient(metadata: Record<string, string>) {
  const { record, secret } = await keys.create({
    name: `key-${Object.values(metadata).join("-")}`,
    metadata,
  });
  const client = gateway.client(secret);
  await vi.waitFor(() => client.models.list(), { timeout: 5_000, interval: 20 });
  return { record, client };
}

async function rowsOf(keyId: string) {
  await gateway.running.flushRequestLog();
  return gateway.running.storage.requestLogs.query({ keyId, order: "asc" });
}

describe("cost accounting", () => {
  it("prices a request with cached tokens from the catalog and records who it belongs to", async () => {
    const { record, client } = await keyClient({ team: "search", project: "ranker", env: "prod" });
    await client.chat.completions.create(
      { model: "gpt-4o", messages: [{ role: "user", content: "hello" }] },
      { headers: { "x-switchyard-tags": "feature=search, env=spoofed, bad tag=x" } },
    );
    const [row] = await rowsOf(record.id);
    // Fixture usage: 1117 prompt (1024 cached), 46 completion at gpt-4o's 2.50 / 1.25 / 10 per million:
    // 93·2.50 + 1024·1.25 + 46·10 = 1972.5 per million.
    expect(row).toMatchObject({
      inputTokens: 1117,
      cachedTokens: 1024,
      outputTokens: 46,
      reasoningTokens: 0,
      usageEstimated: false,
      team: "search",
      project: "ranker",
      tags: "env=prod,feature=search",
    });
    expect(row?.costUsd).toBeCloseTo(0.0019725, 12);
    expect(row?.cacheSavingsUsd).toBeCloseTo(0.00128, 12);
    expect(row?.priceVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    const spent =
      /^switchyard_cost_usd_total\{model_group="gpt-4o",team="search",project="[^"]*"\} (\S+)$/m.exec(
        metrics,
      );
    expect(Number(spent?.[1])).toBeGreaterThanOrEqual(0.0019725 - 1e-12);
  });

  it("prices a stream from its final usage chunk", async () => {
    const { record, client } = await keyClient({ team: "streams" });
    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hello" }],
      stream: true,
    });
    for await (const _chunk of stream) {
      // drain
    }
    const [row] = await rowsOf(record.id);
    // 9·2.50 + 6·10 = 82.5 per million
    expect(row).toMatchObject({ inputTokens: 9, outputTokens: 6, usageEstimated: false });
    expect(row?.costUsd).toBeCloseTo(0.0000825, 12);
  });

  it("estimates usage with the tokenizer when the upstream reports none, and flags it", async () => {
    const { record, client } = await keyClient({ team: "estimates" });
    const answer = "The boardwalk runs through a green meadow.";
    upstream.enqueue(
      answers.json(
        200,
        JSON.stringify({
          id: "chatcmpl-1",
          object: "chat.completion",
          created: 1,
          model: "gpt-4o-2024-08-06",
          choices: [{ index: 0, message: { role: "assistant", content: answer }, finish_reason: "stop" }],
        }),
      ),
    );
    await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Describe it." }],
    });
    const [row] = await rowsOf(record.id);
    const expectedInput = 3 + 3 + countTokens("Describe it.");
    expect(row).toMatchObject({
      usageEstimated: true,
      inputTokens: expectedInput,
      outputTokens: countTokens(answer),
    });
    expect(row?.costUsd).toBeCloseTo((expectedInput * 2.5 + countTokens(answer) * 10) / 1e6, 12);
  });

  it("posts each soft threshold to the webhook once per period", async () => {
    const { client } = await keyClient({ team: "ops", project: "alerting" });
    // Each request costs $0.0019725 against $0.004: the second passes 50%, the third passes 100%.
    for (let index = 0; index < 3; index += 1) {
      await client.chat.completions.create({
        model: "gpt-4o",
        messages: [{ role: "user", content: "hello" }],
      });
    }
    await vi.waitFor(() => expect(webhooks).toHaveLength(2), { timeout: 10_000, interval: 20 });
    for (let index = 0; index < 2; index += 1) {
      await client.chat.completions.create({
        model: "gpt-4o",
        messages: [{ role: "user", content: "hello" }],
      });
    }
    await gateway.running.flushRequestLog();
    expect(webhooks.map((alert) => [alert.type, alert.budget, alert.scopeValue, alert.threshold])).toEqual([
      ["budget.threshold", "alerts-only", "alerting", 0.5],
      ["budget.threshold", "alerts-only", "alerting", 1],
    ]);
    const claims = await gateway.running.storage.settings.get(
      `budget-alert:alerts-only:project:alerting:${Date.parse(String(webhooks[0]?.periodStart))}:0.5`,
    );
    expect(claims).toBeDefined();
  });
});
