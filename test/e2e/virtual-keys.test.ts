import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { KeyService } from "../../src/control/key-service.js";
import { type MockOpenAiUpstream, startMockOpenAiUpstream } from "../support/mock-openai-upstream.js";
import { mockUpstreamConfig, startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let upstream: MockOpenAiUpstream;
let gateway: TestGateway;
let keys: KeyService;

beforeAll(async () => {
  upstream = await startMockOpenAiUpstream();
  gateway = await startTestGateway(mockUpstreamConfig(upstream.url));
  keys = new KeyService(gateway.running.storage.keys);
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

const hello: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "hello" }];

/** Keys made by another process reach the gateway through its cache refresh; wait for that, by condition. */
async function untilAccepted(client: OpenAI): Promise<void> {
  await vi.waitFor(() => client.models.list(), { timeout: 5_000, interval: 20 });
}

describe("virtual keys", () => {
  it("stores only a hash and a display prefix", async () => {
    const { record, secret } = await keys.create({ name: "search-team" });
    expect(secret).toMatch(/^sy-[A-Za-z0-9_-]{43}$/);
    expect(record.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(record.displayPrefix).toBe(secret.slice(0, 12));
    const listed = await keys.list();
    expect(JSON.stringify(listed)).not.toContain(secret);
  });

  it("lets a key use only its allowed models, and lists only those", async () => {
    const { secret } = await keys.create({ name: "embedder", allowedModels: ["text-embedding-3-small"] });
    const client = gateway.client(secret);
    await untilAccepted(client);
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual(["text-embedding-3-small"]);
    await expect(
      client.embeddings.create({ model: "text-embedding-3-small", input: "x" }),
    ).resolves.toBeDefined();
    const denied = await client.chat.completions
      .create({ model: "gpt-4o", messages: hello })
      .catch((error) => error);
    expect(denied).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(denied.code).toBe("GW_ERR_AUTH_MODEL_NOT_ALLOWED");
  });

  it("rejects a revoked key with 401, and records which key made each request", async () => {
    const { record, secret } = await keys.create({ name: "short-lived" });
    const client = gateway.client(secret);
    await untilAccepted(client);
    await client.chat.completions.create({ model: "gpt-4o", messages: hello });
    await gateway.running.flushRequestLog();
    const rows = await gateway.running.storage.requestLogs.query({ keyId: record.id });
    expect(rows.map((row) => row.modelRequested)).toEqual(["gpt-4o"]);

    await keys.revoke(record.displayPrefix);
    await vi.waitFor(
      async () => {
        const failure = await client.models.list().then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(OpenAI.AuthenticationError);
      },
      { timeout: 5_000, interval: 20 },
    );
    const failure = await client.chat.completions
      .create({ model: "gpt-4o", messages: hello })
      .catch((error) => error);
    expect(failure).toMatchObject({ status: 401, code: "GW_ERR_AUTH_INVALID_KEY" });
  });
});
