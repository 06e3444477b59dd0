import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type AdminCall, adminClient, expectOk } from "../support/admin-api-client.js";
import {
  dropSchemas,
  postgresAvailability,
  postgresTestUrl,
  shownPostgresUrl,
  uniqueSchemaName,
} from "../support/postgres-test-database.js";
import { startTestGateway, type TestGateway, testMasterKey } from "../support/start-test-gateway.js";

const { skip, unreachable } = await postgresAvailability("the two-node key lifecycle test");
const schema = uniqueSchemaName("switchyard_keys");
/** The documented bound is one refresh interval plus one refresh query; this test runs with 250 ms. */
const refreshIntervalMs = 250;
const config = (refreshMs: number) =>
  [
    "providers: [{ name: sim, type: simulator, simulator: { latencyMs: 0, tokensPerSecond: 0 } }]",
    "models: [{ name: assistant, targets: [{ provider: sim }] }]",
    `keys: { refreshIntervalMs: ${refreshMs} }`,
    `storage: { url: "${postgresTestUrl}", schema: ${schema} }`,
  ].join("\n");

/** What a node said to a key: accepted, or the catalog code of its refusal. */
async function verdict(node: TestGateway, secret: string): Promise<string> {
  const client = new OpenAI({ baseURL: `${node.url}/v1`, apiKey: secret, maxRetries: 0 });
  try {
    await client.chat.completions.create({ model: "assistant", messages: [{ role: "user", content: "hi" }] });
    return "accepted";
  } catch (error) {
    if (error instanceof OpenAI.APIError && error.status === 401) return String(error.code);
    throw error;
  }
}

/** Waits until `node` gives `want` for `secret`; returns how many ms after `since` it first did. */
async function until(node: TestGateway, secret: string, want: string, since: number): Promise<number> {
  await vi.waitFor(
    async () => {
      expect(await verdict(node, secret)).toBe(want);
    },
    { timeout: 15_000, interval: 10 },
  );
  return Date.now() - since;
}

const figures: string[] = [];

describe.skipIf(skip)(`key rotation, expiry and revocation across two nodes (${shownPostgresUrl})`, () => {
  let nodeA: TestGateway;
  let nodeB: TestGateway;
  let adminA: AdminCall;

  beforeAll(async () => {
    if (unreachable !== undefined) throw new Error(`Postgres is unreachable (${unreachable}) and CI is set`);
    nodeA = await startTestGateway(config(refreshIntervalMs));
    nodeB = await startTestGateway(config(refreshIntervalMs));
    adminA = adminClient(nodeA.url, testMasterKey);
  }, 60_000);
  afterAll(async () => {
    await nodeA?.close();
    await nodeB?.close();
    if (unreachable === undefined) await dropSchemas([schema]);
    if (figures.length > 0)
      console.info(`two-node key lifecycle (refresh ${refreshIntervalMs} ms):\n${figures.join("\n")}`);
  });

  it("a key created on A works on B within the bound; rotation keeps both secrets working through the grace period", async () => {
    const createdAt = Date.now();
    const created = await expectOk(adminA("POST", "/admin/v1/keys", { name: "rotating" }));
    const first = String(created.key);
    expect(await verdict(nodeA, first)).toBe("accepted");
    figures.push(`create on A → accepted on B after ${await until(nodeB, first, "accepted", createdAt)} ms`);

    const rotatedAt = Date.now();
    const rotated = await expectOk(
      adminA("POST", `/admin/v1/keys/${String(created.id)}/rotate`, { gracePeriodSeconds: 3600 }),
    );
    const second = String(rotated.key);
    expect(second).not.toBe(first);
    expect(await verdict(nodeA, second)).toBe("accepted");
    figures.push(
      `rotate on A → new secret accepted on B after ${await until(nodeB, second, "accepted", rotatedAt)} ms`,
    );
    for (const node of [nodeA, nodeB]) expect(await verdict(node, first)).toBe("accepted");

    // A rotation with no grace ends the second secret at once, and drops the first altogether, on both nodes.
    const cutAt = Date.now();
    const third = String(
      (
        await expectOk(
          adminA("POST", `/admin/v1/keys/${String(created.id)}/rotate`, { gracePeriodSeconds: 0 }),
        )
      ).key,
    );
    expect(await verdict(nodeA, second)).toBe("GW_ERR_AUTH_KEY_EXPIRED");
    expect(await verdict(nodeA, first)).toBe("GW_ERR_AUTH_INVALID_KEY");
    figures.push(
      `rotate (no grace) on A → old secret refused on B after ${await until(nodeB, second, "GW_ERR_AUTH_KEY_EXPIRED", cutAt)} ms`,
    );
    expect(await verdict(nodeB, first)).toBe("GW_ERR_AUTH_INVALID_KEY");
    expect(await until(nodeB, third, "accepted", cutAt)).toBeGreaterThanOrEqual(0);
  });

  it("a short grace period ends on both nodes by their clocks, without waiting for a refresh", async () => {
    const created = await expectOk(adminA("POST", "/admin/v1/keys", { name: "graceful" }));
    const old = String(created.key);
    await until(nodeB, old, "accepted", Date.now());
    const rotated = await expectOk(
      adminA("POST", `/admin/v1/keys/${String(created.id)}/rotate`, { gracePeriodSeconds: 2 }),
    );
    const graceEnd = Date.parse(String(rotated.previousKeyExpiresAt));
    await until(nodeB, String(rotated.key), "accepted", Date.now());
    for (const node of [nodeA, nodeB]) {
      const lag = await until(node, old, "GW_ERR_AUTH_KEY_EXPIRED", graceEnd);
      figures.push(`grace end → old secret refused on ${node === nodeA ? "A" : "B"} ${lag} ms after it`);
    }
  });

  it("expiry takes effect on both nodes at the expiry time", async () => {
    const expiresAt = Date.now() + 4_000;
    const created = await expectOk(
      adminA("POST", "/admin/v1/keys", { name: "short-lived", expiresAt: new Date(expiresAt).toISOString() }),
    );
    const secret = String(created.key);
    await until(nodeB, secret, "accepted", Date.now());
    for (const node of [nodeA, nodeB]) {
      const lag = await until(node, secret, "GW_ERR_AUTH_KEY_EXPIRED", expiresAt);
      figures.push(`expiry → refused on ${node === nodeA ? "A" : "B"} ${lag} ms after expiresAt`);
    }
  });

  it("revocation on A is immediate on A and reaches B within the bound", async () => {
    const created = await expectOk(adminA("POST", "/admin/v1/keys", { name: "doomed" }));
    const secret = String(created.key);
    await until(nodeB, secret, "accepted", Date.now());
    const revokedAt = Date.now();
    await expectOk(adminA("POST", `/admin/v1/keys/${String(created.id)}/revoke`));
    expect(await verdict(nodeA, secret)).toBe("GW_ERR_AUTH_INVALID_KEY");
    figures.push(
      `revoke on A → refused on B after ${await until(nodeB, secret, "GW_ERR_AUTH_INVALID_KEY", revokedAt)} ms`,
    );
  });
});
