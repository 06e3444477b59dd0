import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type AdminCall, adminClient, expectOk } from "../support/admin-api-client.js";
import { startTestGateway, type TestGateway, testMasterKey } from "../support/start-test-gateway.js";

/** Two nodes on one SQLite file; each reloads levers every 100 ms, the bound this test waits within. */
const refreshIntervalMs = 100;
const dir = mkdtempSync(path.join(tmpdir(), "switchyard-levers-"));
const config = [
  "providers:",
  "  - { name: sim, type: simulator, simulator: { latencyMs: 0, tokensPerSecond: 0 } }",
  "  - { name: slow, type: simulator, simulator: { latencyMs: 600, tokensPerSecond: 0 } }",
  "models:",
  "  - { name: assistant, targets: [{ provider: sim, model: alpha }, { provider: sim, model: beta }] }",
  "  - { name: sluggish, targets: [{ provider: slow, model: gamma }] }",
  `levers: { refreshIntervalMs: ${refreshIntervalMs} }`,
  // Timeouts are provoked on purpose; an open breaker would hide the lever's reversal.
  "resilience: { circuitBreaker: { enabled: false } }",
  `storage: { url: "sqlite:${path.join(dir, "switchyard.db")}" }`,
].join("\n");

interface Outcome {
  readonly status: number;
  readonly target: string | null;
  readonly code: string | null;
  readonly completionTokens: number | null;
}

async function chat(
  node: TestGateway,
  extra: Record<string, unknown> = {},
  model = "assistant",
): Promise<Outcome> {
  const response = await fetch(`${node.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${testMasterKey}`, "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "tell me a long story" }], ...extra }),
  });
  const body = (await response.json()) as {
    error?: { code?: string };
    usage?: { completion_tokens?: number };
  };
  return {
    status: response.status,
    target: response.headers.get("x-switchyard-target"),
    code: body.error?.code ?? null,
    completionTokens: body.usage?.completion_tokens ?? null,
  };
}

/** Waits until `node` answers as `want` says (no sleeps: polls the condition). */
async function until(node: TestGateway, want: (outcome: Outcome) => boolean, send = () => chat(node)) {
  await vi.waitFor(
    async () => {
      expect(want(await send())).toBe(true);
    },
    { timeout: 10_000, interval: 20 },
  );
}

describe("incident levers across two nodes", () => {
  let nodeA: TestGateway;
  let nodeB: TestGateway;
  let adminA: AdminCall;

  beforeAll(async () => {
    nodeA = await startTestGateway(config);
    nodeB = await startTestGateway(config);
    adminA = adminClient(nodeA.url, testMasterKey);
  }, 60_000);
  afterAll(async () => {
    await nodeA?.close();
    await nodeB?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function setLever(kind: string, params: Record<string, unknown>): Promise<string> {
    const set = await expectOk(adminA("POST", "/admin/v1/levers", { kind, params, reason: "e2e incident" }));
    return String(set.id);
  }

  async function clearLever(id: string): Promise<void> {
    await expectOk(adminA("DELETE", `/admin/v1/levers/${id}?reason=recovered`));
  }

  it("disables a target on A at once and on B within the refresh bound, and reverses it", async () => {
    expect((await chat(nodeB)).target).toBe("sim/alpha");
    const id = await setLever("disable-target", { target: "sim/alpha" });
    expect((await chat(nodeA)).target).toBe("sim/beta");
    await until(nodeB, (outcome) => outcome.target === "sim/beta");
    const listed = await expectOk<{ data: { id: string; reason: string; actor: string }[] }>(
      adminClient(nodeB.url, testMasterKey)("GET", "/admin/v1/levers"),
    );
    expect(listed.data).toEqual([expect.objectContaining({ id, reason: "e2e incident" })]);
    await clearLever(id);
    expect((await chat(nodeA)).target).toBe("sim/alpha");
    await until(nodeB, (outcome) => outcome.target === "sim/alpha");
    expect((await expectOk<{ data: unknown[] }>(adminA("GET", "/admin/v1/levers"))).data).toEqual([]);
  });

  it("forces a group onto its fallback, and answers GW_ERR_LEVER_NO_TARGET when nothing is left", async () => {
    const forced = await setLever("force-fallback", { group: "assistant" });
    await until(nodeB, (outcome) => outcome.target === "sim/beta");
    const disabled = await setLever("disable-target", { target: "sim/beta" });
    await until(nodeB, (outcome) => outcome.status === 503 && outcome.code === "GW_ERR_LEVER_NO_TARGET");
    await clearLever(disabled);
    await clearLever(forced);
    await until(nodeB, (outcome) => outcome.target === "sim/alpha");
  });

  it("caps max_tokens for a group", async () => {
    const uncapped = await chat(nodeB, { max_tokens: 200 });
    expect(uncapped.completionTokens).toBeGreaterThan(3);
    const id = await setLever("cap-max-tokens", { group: "assistant", maxTokens: 3 });
    await until(
      nodeB,
      (outcome) => outcome.status === 200 && (outcome.completionTokens ?? 99) <= 3,
      () => chat(nodeB, { max_tokens: 200 }),
    );
    await clearLever(id);
    await until(
      nodeB,
      (outcome) => (outcome.completionTokens ?? 0) > 3,
      () => chat(nodeB, { max_tokens: 200 }),
    );
  });

  it("refuses tool calls for a group while tools are disabled", async () => {
    const tools = [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }];
    expect((await chat(nodeB, { tools })).status).toBe(200);
    const id = await setLever("disable-tools", { group: "assistant" });
    await until(
      nodeB,
      (outcome) => outcome.status === 400 && outcome.code === "GW_ERR_LEVER_TOOLS_DISABLED",
      () => chat(nodeB, { tools }),
    );
    expect((await chat(nodeB)).status).toBe(200);
    await clearLever(id);
    await until(
      nodeB,
      (outcome) => outcome.status === 200,
      () => chat(nodeB, { tools }),
    );
  });

  it("tightens a group's first-token timeout", async () => {
    expect((await chat(nodeB, {}, "sluggish")).status).toBe(200);
    const id = await setLever("timeout", { group: "sluggish", firstTokenMs: 50 });
    await until(
      nodeB,
      (outcome) => outcome.status === 504 && outcome.code === "GW_ERR_UPSTREAM_TIMEOUT",
      () => chat(nodeB, {}, "sluggish"),
    );
    await clearLever(id);
    await until(
      nodeB,
      (outcome) => outcome.status === 200,
      () => chat(nodeB, {}, "sluggish"),
    );
  });

  it("refuses a lever without a reason or with bad parameters", async () => {
    expect(
      (await adminA("POST", "/admin/v1/levers", { kind: "force-fallback", params: { group: "x" } })).status,
    ).toBe(400);
    expect(
      (
        await adminA("POST", "/admin/v1/levers", {
          kind: "cap-max-tokens",
          params: { group: "x" },
          reason: "r",
        })
      ).status,
    ).toBe(400);
    expect((await adminA("DELETE", "/admin/v1/levers/lv_missing?reason=r")).status).toBe(404);
  });
});
