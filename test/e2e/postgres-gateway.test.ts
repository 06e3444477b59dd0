import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { KeyService } from "../../src/control/key-service.js";
import { type MockOpenAiUpstream, startMockOpenAiUpstream } from "../support/mock-openai-upstream.js";
import {
  dropSchemas,
  postgresAvailability,
  postgresTestUrl,
  shownPostgresUrl,
  uniqueSchemaName,
} from "../support/postgres-test-database.js";
import { mockUpstreamConfig, startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

const { skip, unreachable } = await postgresAvailability("the Postgres gateway test");
const schema = uniqueSchemaName("switchyard_e2e");

describe.skipIf(skip)(`the gateway on Postgres (${shownPostgresUrl})`, () => {
  let upstream: MockOpenAiUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    if (unreachable !== undefined) throw new Error(`Postgres is unreachable (${unreachable}) and CI is set`);
    upstream = await startMockOpenAiUpstream();
    gateway = await startTestGateway(
      mockUpstreamConfig(upstream.url, `storage:\n  url: ${postgresTestUrl}\n  schema: ${schema}\n`),
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    if (unreachable === undefined) await dropSchemas([schema]);
  });

  it("reports ready, authenticates virtual keys and writes the request log to Postgres", async () => {
    expect(gateway.running.storage.dialect).toBe("postgres");
    expect(await (await fetch(`${gateway.url}/readyz`)).json()).toEqual({ status: "ready" });
    const { record, secret } = await new KeyService(gateway.running.storage.keys).create({ name: "pg" });
    const client = gateway.client(secret);
    // The key reaches the gateway through its cache refresh; wait for that by condition.
    const completion = await vi.waitFor(
      () => client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
      { timeout: 5_000, interval: 20 },
    );
    expect(completion.usage?.prompt_tokens).toBe(1117);
    await gateway.running.flushRequestLog();
    const rows = await gateway.running.storage.requestLogs.query({ keyId: record.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 200, inputTokens: 1117, cachedTokens: 1024, stream: false });
  });
});
