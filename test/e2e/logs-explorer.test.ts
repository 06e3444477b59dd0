import { writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { KeyService } from "../../src/control/key-service.js";
import type { RequestLogRecord } from "../../src/core/ports/request-log-store.js";
import { assertBuilt, cleanEnvironment, runCli } from "../support/cli-process.js";
import {
  answers,
  type MockOpenAiUpstream,
  openAiFixture,
  startMockOpenAiUpstream,
} from "../support/mock-openai-upstream.js";
import { type OtlpReceiver, startOtlpReceiver } from "../support/otlp-receiver.js";
import { testDetectors } from "../support/safety-test-policies.js";
import { mockUpstreamConfig, startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let upstream: MockOpenAiUpstream;
let receiver: OtlpReceiver;
let gateway: TestGateway;
let configFile: string;
let searchKeyId: string;
const traceId = "0af7651916cd43dd8448eb211c80319c";

beforeAll(async () => {
  assertBuilt();
  upstream = await startMockOpenAiUpstream();
  receiver = await startOtlpReceiver();
  const extra = `
telemetry:
  traces: { enabled: true, endpoint: ${receiver.url}, scheduledDelayMs: 600000 }
safety:
  policies:
    - { name: redact-email, stages: [input], detectors: [pii], types: [EMAIL_ADDRESS], action: redact }
`;
  gateway = await startTestGateway(mockUpstreamConfig(upstream.url, extra), {}, { detectors: testDetectors });
  // The CLI reads the gateway's SQLite file through a config of its own.
  configFile = path.join(gateway.dataDir, "cli.yaml");
  writeFileSync(
    configFile,
    "storage: { url: sqlite:switchyard.db }\nproviders: [{ name: sim, type: simulator }]\nmodels: [{ name: '*', targets: [{ provider: sim }] }]\n",
  );
  const keys = new KeyService(gateway.running.storage.keys);
  const search = await keys.create({
    name: "search",
    metadata: { team: "search", project: "ranker", env: "prod" },
  });
  const other = await keys.create({ name: "other", metadata: { team: "ads" } });
  searchKeyId = search.record.id;
  await vi.waitFor(async () => {
    for (const secret of [search.secret, other.secret]) {
      const response = await fetch(`${gateway.url}/v1/models`, {
        headers: { authorization: `Bearer ${secret}` },
      });
      expect(response.status).toBe(200);
    }
  });
  const searchClient = gateway.client(search.secret);
  upstream.enqueue(answers.json(500, openAiFixture("error-500.json")));
  await searchClient.chat.completions.create(
    { model: "resilient", messages: [{ role: "user", content: "write to ada@example.com" }] },
    { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } },
  );
  for (let index = 0; index < 4; index += 1) {
    await searchClient.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
    });
  }
  await gateway.client(other.secret).embeddings.create({ model: "text-embedding-3-small", input: "hello" });
  upstream.enqueue(answers.json(500, openAiFixture("error-500.json")));
  await expect(
    gateway
      .client(other.secret)
      .chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] }),
  ).rejects.toMatchObject({ status: 500 });
  await gateway.running.flushRequestLog();
});
afterAll(async () => {
  await gateway.close();
  await receiver.close();
  await upstream.close();
});

/** Each CLI run starts a Node process: slow on a loaded machine. */
const cliTimeout = 180_000;

const logs = (args: readonly string[]) =>
  runCli(["logs", "query", "--config", configFile, ...args], cleanEnvironment(), gateway.dataDir);

const jsonRows = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as RequestLogRecord);

describe("switchyard logs query (request explorer)", () => {
  it(
    "shows attempts, policy actions and the trace id of a request that fell back",
    async () => {
      const json = await logs(["--trace-id", traceId.toUpperCase(), "--format", "json"]);
      expect(json.code).toBe(0);
      const [row] = jsonRows(json.stdout);
      expect(row).toMatchObject({
        keyId: searchKeyId,
        team: "search",
        project: "ranker",
        target: "backup/backup-model",
        attempts: 2,
        policy: "pii.redact:1",
        traceId,
      });
      expect(row?.attemptDetails?.map((attempt) => [attempt.target, attempt.status])).toEqual([
        ["mock/primary-model", 500],
        ["backup/backup-model", 200],
      ]);
      const table = await logs(["--trace-id", traceId]);
      expect(table.stdout).toMatch(
        /attempts=\[first mock\/primary-model 500 server-error \d+ms > fallback backup\/backup-model 200 \d+ms\]/,
      );
      expect(table.stdout).toContain("policy=pii.redact:1");
      expect(table.stdout).toContain(`trace=${traceId}`);
      expect(table.stdout).toContain("team=search project=ranker");
    },
    cliTimeout,
  );

  it(
    "filters by team, project, target, status, model and latency",
    async () => {
      const byTeam = jsonRows((await logs(["--team", "ads", "--json"])).stdout);
      expect(byTeam.map((row) => [row.endpoint, row.status])).toEqual([
        ["chat.completions", 500],
        ["embeddings", 200],
      ]);
      const byProject = jsonRows((await logs(["--project", "ranker", "--json"])).stdout);
      expect(byProject).toHaveLength(5);
      const byTarget = jsonRows(
        (await logs(["--target", "mock/gpt-4o-2024-08-06", "--status", "2xx", "--json"])).stdout,
      );
      expect(byTarget).toHaveLength(4);
      expect(byTarget.every((row) => row.team === "search")).toBe(true);
      const all = await gateway.running.storage.requestLogs.query({});
      const slowest = Math.max(...all.map((row) => row.latencyMs));
      const slow = jsonRows((await logs(["--min-latency-ms", String(slowest), "--json"])).stdout);
      expect(slow.map((row) => row.latencyMs)).toEqual([slowest]);
      const bad = await logs(["--min-latency-ms", "fast"]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("--min-latency-ms");
    },
    cliTimeout,
  );

  it(
    "filters by minimum cost and by tag, and refuses malformed values",
    async () => {
      const all = await gateway.running.storage.requestLogs.query({});
      const priced = all.filter((row) => (row.costUsd ?? 0) > 0);
      expect(priced.length).toBeGreaterThan(0);
      expect(priced.length).toBeLessThan(all.length);
      const cheapest = Math.min(...priced.map((row) => row.costUsd ?? 0));
      const byCost = jsonRows((await logs(["--min-cost-usd", String(cheapest), "--json"])).stdout);
      expect(byCost.map((row) => row.id)).toEqual(priced.map((row) => row.id));
      const tagged = jsonRows((await logs(["--tag", "env=prod", "--json"])).stdout);
      expect(tagged.map((row) => row.keyId)).toEqual([
        searchKeyId,
        searchKeyId,
        searchKeyId,
        searchKeyId,
        searchKeyId,
      ]);
      expect(jsonRows((await logs(["--tag", "env=pro", "--json"])).stdout)).toEqual([]);
      const badTag = await logs(["--tag", "env=prod,x=y"]);
      expect(badTag.code).toBe(1);
      expect(badTag.stderr).toContain("--tag");
      const badCost = await logs(["--min-cost-usd", "-1"]);
      expect(badCost.code).toBe(1);
      expect(badCost.stderr).toContain("--min-cost-usd");
    },
    cliTimeout,
  );

  it(
    "pages with a cursor and exports CSV",
    async () => {
      const everything = (await gateway.running.storage.requestLogs.query({})).map((row) => row.id);
      expect(everything).toHaveLength(7);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 5; page += 1) {
        const result = await logs([
          "--limit",
          "3",
          "--format",
          "json",
          ...(cursor === undefined ? [] : ["--cursor", cursor]),
        ]);
        expect(result.code).toBe(0);
        seen.push(...jsonRows(result.stdout).map((row) => row.id));
        cursor = /next page: --cursor (\S+)/.exec(result.stderr)?.[1];
        if (cursor === undefined) break;
      }
      expect(seen).toEqual(everything);

      const csv = await logs(["--format", "csv", "--team", "search"]);
      expect(csv.code).toBe(0);
      const records = parse(csv.stdout, { columns: true }) as Record<string, string>[];
      expect(records).toHaveLength(5);
      const fallback = records.find((record) => record.trace_id === traceId);
      expect(fallback).toMatchObject({
        team: "search",
        project: "ranker",
        status: "200",
        stream: "false",
        attempts: "2",
        attempt_details: "mock/primary-model:500>backup/backup-model:200",
        policy: "pii.redact:1",
      });
      const badFormat = await logs(["--format", "xml"]);
      expect(badFormat.code).toBe(1);
      expect(badFormat.stderr).toContain("--format");
    },
    cliTimeout,
  );
});
