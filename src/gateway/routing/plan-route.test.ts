import { describe, expect, it, vi } from "vitest";
import { routingTable } from "../../../test/support/routing-table.js";
import { virtualKeyRecord } from "../../../test/support/virtual-key-record.js";
import type { RoutingConfig, RoutingRuleConfig } from "../../core/gateway-config.js";
import { GatewayError } from "../../core/gateway-error.js";
import { noAttribution } from "../../core/key-attribution.js";
import type { Caller } from "../gateway-context.js";
import type { RouteTable } from "../route-table.js";
import { planRoute, type RouteRequest } from "./plan-route.js";

const groups = [
  {
    name: "chat",
    contextFallback: "chat-long",
    targets: [
      { provider: "a", model: "small", params: {}, capabilities: { contextWindow: 100, tools: false } },
      { provider: "b", model: "medium", params: {}, capabilities: { contextWindow: 400, vision: false } },
    ],
  },
  {
    name: "chat-long",
    targets: [{ provider: "c", model: "long", params: {}, capabilities: { contextWindow: 10_000 } }],
  },
  { name: "safe", targets: [{ provider: "s", model: "guarded", params: {} }] },
];

function rule(name: string, when: Partial<RoutingRuleConfig["when"]>, use: RoutingRuleConfig["use"]) {
  return {
    name,
    when: { models: [], keys: [], teams: [], projects: [], metadata: {}, headers: {}, features: {}, ...when },
    use,
  };
}

function table(
  rules: RoutingRuleConfig[] = [],
  countTokens = vi.fn((text: string, limit: number) => {
    const tokens = Math.ceil(text.length / 4);
    return tokens <= limit ? tokens : (false as const);
  }),
): RouteTable {
  const routing: RoutingConfig = { rules, latencySmoothing: 0.3, latencyStaleAfterMs: 30_000 };
  return routingTable(groups, { routing, countTokens });
}

function key(metadata: Record<string, string>): Caller {
  const record = virtualKeyRecord({ id: "key_1", name: "billing-bot", metadata });
  return { kind: "virtual-key", key: record, attribution: noAttribution };
}

function plan(routes: RouteTable, request: Partial<RouteRequest> & { body?: Record<string, unknown> }) {
  const modelName = request.modelName ?? "chat";
  const requested = routes.resolve(modelName);
  if (requested === undefined) throw new Error(`no group ${modelName}`);
  const route = planRoute(
    routes,
    requested,
    {
      modelName,
      caller: request.caller ?? { kind: "master" },
      headers: request.headers ?? {},
      body: request.body ?? { messages: [{ role: "user", content: "hi" }] },
    },
    () => 0.5,
  );
  return { group: route.groupName, targets: route.targets.map((target) => target.label) };
}

const text = (characters: number) => ({ messages: [{ role: "user", content: "x".repeat(characters) }] });

describe("conditional rules", () => {
  it("sends a header-matched request to another group, others stay", () => {
    const routes = table([
      rule("risky", { headers: { "X-Switchyard-Risk-Tier": ["high"] } }, { group: "safe" }),
    ]);
    expect(plan(routes, { headers: { "x-switchyard-risk-tier": "high" } }).group).toBe("safe");
    expect(plan(routes, { headers: { "x-switchyard-risk-tier": "low" } }).group).toBe("chat");
    expect(plan(routes, {}).group).toBe("chat");
  });

  it("matches keys by id or name, teams and projects and other metadata from the key", () => {
    const byName = table([rule("k", { keys: ["billing-bot"] }, { group: "safe" })]);
    expect(plan(byName, { caller: key({}) }).group).toBe("safe");
    expect(plan(byName, { caller: { kind: "master" } }).group).toBe("chat");
    const master = table([rule("m", { keys: ["master"] }, { group: "safe" })]);
    expect(plan(master, {}).group).toBe("safe");
    const team = table([rule("t", { teams: ["payments"], metadata: { env: ["prod"] } }, { group: "safe" })]);
    expect(plan(team, { caller: key({ team: "payments", env: "prod" }) }).group).toBe("safe");
    expect(plan(team, { caller: key({ team: "payments", env: "dev" }) }).group).toBe("chat");
    expect(plan(team, { caller: key({ env: "prod" }) }).group).toBe("chat");
    const project = table([rule("p", { projects: ["atlas"] }, { group: "safe" })]);
    expect(plan(project, { caller: key({ project: "atlas" }) }).group).toBe("safe");
  });

  it("matches requested features: tools, images and JSON mode", () => {
    const routes = table([
      rule("json", { features: { jsonMode: true } }, { group: "safe" }),
      rule("no-tools", { models: ["chat"], features: { tools: false, images: false } }, { targets: ["a"] }),
    ]);
    expect(plan(routes, { body: { ...text(4), response_format: { type: "json_schema" } } }).group).toBe(
      "safe",
    );
    expect(plan(routes, { body: text(4) }).targets).toEqual(["a/small"]);
    const image = {
      messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:," } }] }],
    };
    // The rule does not match (images); b lacks vision and an image (765 tokens, estimated) overflows a's
    // window of 100, so the group's context fallback serves it.
    expect(plan(routes, { body: image })).toEqual({ group: "chat-long", targets: ["c/long"] });
  });

  it("applies the first matching rule only, in config order", () => {
    const routes = table([
      rule("first", { models: ["chat"] }, { targets: ["b/medium"] }),
      rule("second", { models: ["chat"] }, { group: "safe" }),
    ]);
    expect(plan(routes, {})).toEqual({ group: "chat", targets: ["b/medium"] });
  });

  it("answers 400 when a rule's target subset leaves nothing", () => {
    const routes = table([rule("none", {}, { targets: ["nobody"] })]);
    expect(() => plan(routes, {})).toThrow(
      expect.objectContaining({ code: "GW_ERR_ROUTING_NO_CAPABLE_TARGET", status: 400 }),
    );
  });
});

describe("capabilities and context windows", () => {
  it("skips targets that declare they lack tools or vision", () => {
    const routes = table();
    const tools = { ...text(4), tools: [{ type: "function", function: { name: "f", parameters: {} } }] };
    expect(plan(routes, { body: tools }).targets).toEqual(["b/medium"]);
  });

  it("answers 400 when every target lacks a requested feature", () => {
    const routes = table();
    const both = {
      tools: [{ type: "function", function: { name: "f" } }],
      messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:," } }] }],
    };
    const failure = (() => {
      try {
        plan(routes, { body: both });
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(GatewayError);
    expect(failure).toMatchObject({ code: "GW_ERR_ROUTING_NO_CAPABLE_TARGET", status: 400 });
  });

  it("keeps every target without tokenizing when the byte bound fits the smallest window", () => {
    const countTokens = vi.fn(() => 1);
    const routes = table([], countTokens);
    expect(plan(routes, { body: text(40) }).targets).toEqual(["a/small", "b/medium"]);
    expect(countTokens).not.toHaveBeenCalled();
  });

  it("drops targets whose window the input plus max_tokens would not fit", () => {
    const routes = table();
    // 800 characters ≈ 200 tokens by the test counter: too many for a (100), fine for b (400).
    expect(plan(routes, { body: text(800) }).targets).toEqual(["b/medium"]);
    // Plus 250 output tokens: b's 400 no longer fits either → the group's context fallback.
    expect(plan(routes, { body: { ...text(800), max_tokens: 250 } })).toEqual({
      group: "chat-long",
      targets: ["c/long"],
    });
    expect(plan(routes, { body: { ...text(800), max_completion_tokens: 250 } }).group).toBe("chat-long");
  });

  it("answers 400 GW_ERR_ROUTING_CONTEXT_TOO_LONG when no window fits, fallback included", () => {
    const routes = table();
    expect(() => plan(routes, { body: text(100_000) })).toThrow(
      expect.objectContaining({ code: "GW_ERR_ROUTING_CONTEXT_TOO_LONG", status: 400, param: "messages" }),
    );
  });

  it("leaves routes alone when no target declares a window", () => {
    const routes = routingTable([{ name: "m", targets: [{ provider: "x", model: undefined, params: {} }] }]);
    const requested = routes.resolve("m");
    const route = planRoute(
      routes,
      requested as NonNullable<typeof requested>,
      {
        modelName: "m",
        caller: { kind: "master" },
        headers: {},
        body: text(1_000_000),
      },
      Math.random,
    );
    expect(route).toBe(requested);
  });
});
