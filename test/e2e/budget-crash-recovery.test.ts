import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { assertBuilt, cleanEnvironment, type LongRunningCli, startCli } from "../support/cli-process.js";
import {
  answers,
  type MockOpenAiUpstream,
  openAiFixture,
  startMockOpenAiUpstream,
} from "../support/mock-openai-upstream.js";

const masterKey = "sy-crash-test-master-key";
let workDir: string;
let upstream: MockOpenAiUpstream;
const running: LongRunningCli[] = [];

beforeAll(async () => {
  assertBuilt();
  upstream = await startMockOpenAiUpstream();
  workDir = mkdtempSync(path.join(tmpdir(), "switchyard-budget-crash-"));
  // Every request costs exactly $1 (a per-request price); the master key's daily budget is $10.
  writeFileSync(
    path.join(workDir, "switchyard.yaml"),
    `
providers:
  - { name: mock, type: openai-compatible, baseUrl: "${upstream.url}", apiKey: upstream-secret }
models:
  - { name: metered, targets: [{ provider: mock, model: metered-model }] }
requestLog: { flushIntervalMs: 100 }
cost:
  prices: { metered-model: { input: 0, output: 0, perRequest: 1 } }
  budgets:
    - { name: master-daily, scope: key, match: [master], period: day, limitUsd: 10, thresholds: [] }
`,
  );
});
afterAll(async () => {
  await Promise.all(running.map((server) => server.stop("SIGKILL")));
  await upstream.close();
  rmSync(workDir, { recursive: true, force: true });
});

async function serve(): Promise<{ server: LongRunningCli; client: OpenAI }> {
  const server = startCli(
    ["serve", "--config", "switchyard.yaml", "--port", "0", "--host", "127.0.0.1"],
    cleanEnvironment({ SWITCHYARD_MASTER_KEY: masterKey }),
    workDir,
  );
  running.push(server);
  const [, url = ""] = await server.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
  return { server, client: new OpenAI({ baseURL: `${url}/v1`, apiKey: masterKey, maxRetries: 0 }) };
}

async function send(client: OpenAI, count: number): Promise<string[]> {
  const outcomes: string[] = [];
  for (let index = 0; index < count; index += 1) {
    upstream.enqueue(answers.json(200, openAiFixture("chat-completion.json")));
    outcomes.push(
      await client.chat.completions
        .create({ model: "metered", messages: [{ role: "user", content: "hi" }] })
        .then(
          () => "ok",
          (error: unknown) =>
            error instanceof OpenAI.APIError ? `${error.status} ${error.code}` : String(error),
        ),
    );
  }
  return outcomes;
}

function pricedRowsOnDisk(): number {
  const database = new Database(path.join(workDir, ".switchyard", "switchyard.db"), { readonly: true });
  try {
    const row = database
      .prepare("select count(*) as n from request_logs where cost_usd is not null")
      .get() as {
      n: number;
    };
    return row.n;
  } finally {
    database.close();
  }
}

describe("budget counters after kill -9", () => {
  it("are rebuilt from the request log: no spend lost or counted twice once it was flushed", {
    timeout: 90_000,
  }, async () => {
    const first = await serve();
    expect(await send(first.client, 6)).toEqual(Array(6).fill("ok"));
    // The bound: spend is durable once its request-log row is flushed (every requestLog.flushIntervalMs).
    await vi.waitFor(() => expect(pricedRowsOnDisk()).toBe(6), { timeout: 15_000, interval: 50 });
    await first.server.stop("SIGKILL");

    const second = await serve();
    const outcomes = await send(second.client, 6);
    expect(outcomes).toEqual([...Array(4).fill("ok"), ...Array(2).fill("402 GW_ERR_BUDGET_EXCEEDED")]);
    await second.server.stop("SIGTERM");
  });
});
