import { describe, expect, it } from "vitest";
import { GatewayError } from "../../core/gateway-error.js";
import type { Lever, LeverParams } from "../../core/lever.js";
import type { LeverStore } from "../../core/ports/lever-store.js";
import type { UpstreamOperation } from "../../core/ports/provider-adapter.js";
import type { GatewayContext, GatewayResponse } from "../gateway-context.js";
import { LeverCache } from "../lever-cache.js";
import type { ResolvedRoute, ResolvedTarget, RouteTable } from "../route-table.js";
import { applyLeversStep } from "./apply-levers-step.js";

const ok: GatewayResponse = { kind: "body", status: 200, headers: {}, body: "" };

function target(label: string): ResolvedTarget {
  return { label, id: label } as unknown as ResolvedTarget;
}

const configured: ResolvedRoute = {
  groupName: "chat",
  targets: [target("openai/gpt-4o"), target("azure/gpt-4o"), target("backup/gpt-4o")],
  strategy: "priority",
  contextFallback: undefined,
  plain: true,
  windowed: false,
};

class FakeLeverStore implements LeverStore {
  levers: Lever[] = [];
  async insert(lever: Lever): Promise<void> {
    this.levers.push(lever);
  }
  async listActive(now: number): Promise<Lever[]> {
    return this.levers.filter((lever) => lever.expiresAt === null || now < lever.expiresAt);
  }
  async clear(): Promise<undefined> {
    return undefined;
  }
}

async function cacheWith(params: readonly LeverParams[], now = () => 1_000): Promise<LeverCache> {
  const store = new FakeLeverStore();
  store.levers = params.map((p, index) => ({
    id: `lv_${index}`,
    params: p,
    reason: "test",
    actor: "test",
    createdAt: 0,
    expiresAt: null,
  }));
  const cache = new LeverCache({ store, refreshIntervalMs: 1000, onRefreshError: () => undefined, now });
  await cache.refresh();
  return cache;
}

function newContext(
  body: Record<string, unknown>,
  route: ResolvedRoute = configured,
  operation: UpstreamOperation = "chat.completions",
): GatewayContext {
  const routes = { resolve: () => configured } as unknown as RouteTable;
  return {
    operation,
    body,
    route,
    routes,
    modelRequested: "chat",
  } as unknown as GatewayContext;
}

async function run(params: readonly LeverParams[], context: GatewayContext): Promise<GatewayContext> {
  let reached = false;
  await applyLeversStep(await cacheWith(params))(context, async () => {
    reached = true;
    return ok;
  });
  expect(reached).toBe(true);
  return context;
}

async function refusal(params: readonly LeverParams[], context: GatewayContext): Promise<string> {
  const step = applyLeversStep(await cacheWith(params));
  try {
    await step(context, async () => ok);
  } catch (error) {
    if (error instanceof GatewayError) return error.code;
    throw error;
  }
  throw new Error("expected a GatewayError");
}

const labels = (context: GatewayContext) => context.route?.targets.map((t) => t.label);

describe("applyLeversStep", () => {
  it("leaves the request alone when no lever is active, or none applies to its group", async () => {
    const body = { model: "chat", max_tokens: 9000, tools: [] };
    const none = await run([], newContext(body));
    expect(none.route).toBe(configured);
    expect(none.body).toBe(body);
    const other = await run(
      [
        { kind: "cap-max-tokens", group: "other", maxTokens: 10 },
        { kind: "disable-tools", group: "other" },
        { kind: "force-fallback", group: "other" },
      ],
      newContext(body),
    );
    expect(other.route).toBe(configured);
    expect(other.body).toBe(body);
    expect(other.leverTimeouts).toBeUndefined();
  });

  it("drops disabled targets from the route without changing the configured route", async () => {
    const context = await run([{ kind: "disable-target", target: "azure/gpt-4o" }], newContext({}));
    expect(labels(context)).toEqual(["openai/gpt-4o", "backup/gpt-4o"]);
    expect(configured.targets).toHaveLength(3);
  });

  it("forces fallback by dropping the group's first configured target, wherever routing ordered it", async () => {
    const reordered = { ...configured, targets: [...configured.targets].reverse() };
    const context = await run([{ kind: "force-fallback", group: "chat" }], newContext({}, reordered));
    expect(labels(context)).toEqual(["backup/gpt-4o", "azure/gpt-4o"]);
  });

  it("answers GW_ERR_LEVER_NO_TARGET when levers leave no target", async () => {
    expect(
      await refusal(
        [
          { kind: "force-fallback", group: "chat" },
          { kind: "disable-target", target: "azure/gpt-4o" },
          { kind: "disable-target", target: "backup/gpt-4o" },
        ],
        newContext({}),
      ),
    ).toBe("GW_ERR_LEVER_NO_TARGET");
  });

  it("caps token limits on a copy of the body, the smallest cap winning, and sets one when absent", async () => {
    const body = { model: "chat", max_tokens: 9000, max_completion_tokens: 100 };
    const context = await run(
      [
        { kind: "cap-max-tokens", group: "chat", maxTokens: 512 },
        { kind: "cap-max-tokens", group: "chat", maxTokens: 256 },
      ],
      newContext(body),
    );
    expect(context.body).toEqual({ model: "chat", max_tokens: 256, max_completion_tokens: 100 });
    expect(body.max_tokens).toBe(9000);
    const unset = await run([{ kind: "cap-max-tokens", group: "chat", maxTokens: 256 }], newContext({}));
    expect(unset.body).toEqual({ max_tokens: 256 });
    for (const operation of ["embeddings", "messages.count_tokens"] as const) {
      const untouched = await run(
        [{ kind: "cap-max-tokens", group: "chat", maxTokens: 256 }],
        newContext({}, configured, operation),
      );
      expect(untouched.body).toEqual({});
    }
  });

  it("caps a Responses request's max_output_tokens, and sets it when absent", async () => {
    const cap = [{ kind: "cap-max-tokens", group: "chat", maxTokens: 256 }] as const;
    const over = await run(cap, newContext({ max_output_tokens: 4000 }, configured, "responses"));
    expect(over.body).toEqual({ max_output_tokens: 256 });
    const unset = await run(cap, newContext({ input: "hi" }, configured, "responses"));
    expect(unset.body).toEqual({ input: "hi", max_output_tokens: 256 });
  });

  it("refuses requests with tools where tools are disabled, and passes those without", async () => {
    const params: LeverParams[] = [{ kind: "disable-tools", group: "chat" }];
    expect(await refusal(params, newContext({ tools: [{ type: "function" }] }))).toBe(
      "GW_ERR_LEVER_TOOLS_DISABLED",
    );
    await run(params, newContext({ messages: [] }));
  });

  it("hands the smallest timeouts of the group's levers to the proxy", async () => {
    const context = await run(
      [
        { kind: "timeout", group: "chat", firstTokenMs: 800 },
        { kind: "timeout", group: "chat", firstTokenMs: 500, totalMs: 4000 },
      ],
      newContext({}),
    );
    expect(context.leverTimeouts).toEqual({ firstTokenMs: 500, totalMs: 4000 });
  });

  it("stops applying an expired lever at its expiry, without reloading", async () => {
    let now = 1_000;
    const store = new FakeLeverStore();
    store.levers.push({
      id: "lv_1",
      params: { kind: "disable-tools", group: "chat" },
      reason: "test",
      actor: "test",
      createdAt: 0,
      expiresAt: 2_000,
    });
    const cache = new LeverCache({
      store,
      refreshIntervalMs: 1000,
      onRefreshError: () => undefined,
      now: () => now,
    });
    await cache.refresh();
    expect(cache.effects()?.toolsDisabled.has("chat")).toBe(true);
    now = 2_000;
    expect(cache.effects()).toBeUndefined();
  });
});
