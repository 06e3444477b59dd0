import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { KeyService } from "../../src/control/key-service.js";
import type { RequestLogRecord } from "../../src/core/ports/request-log-store.js";
import { adminClient, expectOk } from "../support/admin-api-client.js";
import {
  answers,
  type MockOpenAiUpstream,
  openAiFixture,
  startMockOpenAiUpstream,
} from "../support/mock-openai-upstream.js";
import { type OtlpReceiver, startOtlpReceiver } from "../support/otlp-receiver.js";
import { testDetectors } from "../support/safety-test-policies.js";
import {
  mockUpstreamConfig,
  startTestGateway,
  type TestGateway,
  testMasterKey,
} from "../support/start-test-gateway.js";

let upstream: MockOpenAiUpstream;
let receiver: OtlpReceiver;
let gateway: TestGateway;
let admin: ReturnType<typeof adminClient>;
const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

interface RequestPage {
  readonly data: RequestLogRecord[];
  readonly nextCursor: string | null;
}

beforeAll(async () => {
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
  admin = adminClient(gateway.url, testMasterKey);
  const keys = new KeyService(gateway.running.storage.keys);
  const search = await keys.create({
    name: "search",
    metadata: { team: "search", project: "ranker", env: "prod" },
  });
  const other = await keys.create({ name: "other", metadata: { team: "ads" } });
  await vi.waitFor(async () => {
    for (const secret of [search.secret, other.secret]) {
      const response = await fetch(`${gateway.url}/v1/models`, {
        headers: { authorization: `Bearer ${secret}` },
      });
      expect(response.status).toBe(200);
    }
  });
  const searchClient = gateway.client(search.secret);
  // A fallback (primary 500, backup 200), traced, whose prompt the policy redacts.
  upstream.enqueue(answers.json(500, openAiFixture("error-500.json")));
  await searchClient.chat.completions.create(
    { model: "resilient", messages: [{ role: "user", content: "write to ada@example.com" }] },
    { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } },
  );
  for (let index = 0; index < 3; index += 1) {
    await searchClient.chat.completions.create(
      { model: "gpt-4o", messages: [{ role: "user", content: "hi" }] },
      index === 0 ? { headers: { "x-switchyard-tags": "feature=explorer" } } : {},
    );
  }
  const otherClient = gateway.client(other.secret);
  await otherClient.embeddings.create({ model: "text-embedding-3-small", input: "hello" });
  upstream.enqueue(answers.json(500, openAiFixture("error-500.json")));
  await expect(
    otherClient.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] }),
  ).rejects.toMatchObject({ status: 500 });
  await gateway.running.flushRequestLog();
});
afterAll(async () => {
  await gateway?.close();
  await receiver?.close();
  await upstream?.close();
});

const list = (query: string) => expectOk<RequestPage>(admin("GET", `/admin/v1/requests?${query}`));

describe("GET /admin/v1/requests (request explorer)", () => {
  it("filters by team, status, model, target, tag, cost, latency and trace id", async () => {
    const byTeam = await list("team=ads");
    expect(byTeam.data.map((row) => [row.endpoint, row.status])).toEqual([
      ["chat.completions", 500],
      ["embeddings", 200],
    ]);
    expect(byTeam.nextCursor).toBeNull();
    expect((await list("status=5xx")).data.map((row) => row.team)).toEqual(["ads"]);
    expect((await list("status=200&project=ranker")).data).toHaveLength(4);
    expect((await list("model=resilient")).data.map((row) => row.target)).toEqual(["backup/backup-model"]);
    expect((await list("target=mock/gpt-4o-2024-08-06&status=2xx")).data).toHaveLength(3);

    const tagged = (await list("tag=feature%3Dexplorer")).data;
    expect(tagged.map((row) => row.tags)).toEqual(["env=prod,feature=explorer"]);
    expect((await list("tag=env%3Dprod")).data).toHaveLength(4);
    expect((await list("tag=env%3Dpro")).data).toEqual([]);

    const all = (await list("limit=1000")).data;
    const priced = all.filter((row) => (row.costUsd ?? 0) > 0);
    expect(priced.length).toBeGreaterThan(0);
    expect(priced.length).toBeLessThan(all.length);
    const cheapest = Math.min(...priced.map((row) => row.costUsd ?? 0));
    expect((await list(`minCostUsd=${cheapest}`)).data.map((row) => row.id).sort()).toEqual(
      priced.map((row) => row.id).sort(),
    );
    const slowest = Math.max(...all.map((row) => row.latencyMs));
    expect((await list(`minLatencyMs=${slowest}`)).data.map((row) => row.latencyMs)).toEqual([slowest]);
    expect((await list(`traceId=${traceId.toUpperCase()}`)).data.map((row) => row.modelRequested)).toEqual([
      "resilient",
    ]);
  });

  it("pages with nextCursor through every row, newest first", async () => {
    const everything = (await gateway.running.storage.requestLogs.query({})).map((row) => row.id);
    expect(everything).toHaveLength(6);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const result: RequestPage = await list(`limit=4${cursor === null ? "" : `&cursor=${cursor}`}`);
      seen.push(...result.data.map((row) => row.id));
      cursor = result.nextCursor;
      if (cursor === null) break;
    }
    expect(seen).toEqual(everything);
  });

  it("exports CSV with the CLI's columns and the next page's cursor in a header", async () => {
    const response = await fetch(`${gateway.url}/admin/v1/requests?format=csv&team=search&limit=4`, {
      headers: { authorization: `Bearer ${testMasterKey}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const records = parse(await response.text(), { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(4);
    const fallback = records.find((record) => record.trace_id === traceId);
    expect(fallback).toMatchObject({
      team: "search",
      project: "ranker",
      status: "200",
      attempts: "2",
      attempt_details: "mock/primary-model:500>backup/backup-model:200",
      policy: "pii.redact:1",
      tags: "env=prod",
    });
    const cursor = response.headers.get("x-next-cursor");
    expect(cursor).not.toBeNull();
    const rest = await list(`team=search&limit=4&cursor=${cursor}`);
    expect(rest.data.map((row) => row.id)).toHaveLength(0);
    expect(rest.nextCursor).toBeNull();
  });

  it("answers one record by id with its attempts, policy actions and trace id", async () => {
    const [listed] = (await list(`traceId=${traceId}`)).data;
    expect(listed).toBeDefined();
    const record = await expectOk<RequestLogRecord>(admin("GET", `/admin/v1/requests/${listed?.id}`));
    expect(record).toMatchObject({
      id: listed?.id,
      team: "search",
      attempts: 2,
      policy: "pii.redact:1",
      traceId,
    });
    expect(record.attemptDetails?.map((attempt) => [attempt.target, attempt.status])).toEqual([
      ["mock/primary-model", 500],
      ["backup/backup-model", 200],
    ]);
    expect(record.attemptPath).toMatch(
      /^first mock\/primary-model 500 .* > fallback backup\/backup-model 200/,
    );
    const missing = await admin("GET", "/admin/v1/requests/no-such-request");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: "GW_ERR_ADMIN_NOT_FOUND" } });
  });

  it("refuses malformed filters with GW_ERR_ADMIN_INVALID_REQUEST", async () => {
    for (const query of [
      "limit=1001",
      "cursor=bm90LWEtY3Vyc29y",
      "tag=a%3D1%2Cb%3D2",
      "status=5x",
      "since=yesterday",
      "format=xml",
    ]) {
      const response = await admin("GET", `/admin/v1/requests?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body, query).toMatchObject({ error: { code: "GW_ERR_ADMIN_INVALID_REQUEST" } });
    }
  });
});
