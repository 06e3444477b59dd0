import { describe, expect, it, vi } from "vitest";
import type { BudgetAlert } from "../../core/cost/budget-alert.js";
import { PriceBook } from "../../core/cost/price-book.js";
import { shippedPriceCatalog } from "../../core/cost/price-catalog-data.js";
import type { BudgetConfig } from "../../core/gateway-config.js";
import { GatewayError, isGatewayError } from "../../core/gateway-error.js";
import { noAttribution } from "../../core/key-attribution.js";
import type { BudgetCounterStore, CounterCharge } from "../../core/ports/budget-counter-store.js";
import type { ProviderAdapter } from "../../core/ports/provider-adapter.js";
import { countTextTokens } from "../../core/tokenizer.js";
import { CostAccountant } from "../cost/cost-accountant.js";
import type { GatewayContext, GatewayResponse } from "../gateway-context.js";
import type { ResolvedRoute, RouteTable } from "../route-table.js";
import { BudgetGuard, type BudgetRefusal, nanoUsdPerUsd } from "./budget-guard.js";

// $1 per token in and out: a request with a 7-token prompt ("hi" plus 6 framing tokens) and max_tokens 3
// reserves $10.
const prices = new PriceBook(shippedPriceCatalog, {
  dear: { input: 1_000_000, output: 1_000_000 },
  cheap: { input: 100_000, output: 100_000 },
});
const costs = new CostAccountant({ prices, estimateMissingUsage: true, countTokens: countTextTokens });
const adapter = {} as ProviderAdapter;
const route = (model: string): ResolvedRoute =>
  ({
    groupName: model,
    targets: [{ adapter, upstreamModel: model, params: {}, label: `p/${model}`, id: `p/${model}` }],
  }) as unknown as ResolvedRoute;
const routes = new Map([
  ["dear", route("dear")],
  ["cheap", route("cheap")],
]);
const routeTable = { resolve: (name: string) => routes.get(name) } as unknown as RouteTable;
/** The gateway may not import the stores: a plain map with the port's all-or-nothing semantics. */
class MapCounters implements BudgetCounterStore {
  readonly values = new Map<string, number>();
  async reserve(charges: readonly CounterCharge[]) {
    const totals = charges.map((charge) => this.values.get(charge.counterKey) ?? 0);
    const refusedIndex = charges.findIndex(
      (charge, index) => charge.limit !== null && (totals[index] ?? 0) + charge.amount > charge.limit,
    );
    if (refusedIndex >= 0) return { accepted: false as const, refusedIndex, totals };
    return { accepted: true as const, totals: await this.adjust(charges) };
  }
  async adjust(charges: readonly CounterCharge[]) {
    return charges.map((charge) => {
      const total = (this.values.get(charge.counterKey) ?? 0) + charge.amount;
      this.values.set(charge.counterKey, total);
      return total;
    });
  }
  async seed() {}
  async claimOnce() {
    return true;
  }
  async close() {}
}

const ok: GatewayResponse = { kind: "body", status: 200, headers: {}, body: "" };

function contextFor(team: string, model = "dear"): GatewayContext {
  return {
    operation: "chat.completions",
    headers: {},
    body: { model, messages: [{ role: "user", content: "hi" }], max_tokens: 3 },
    caller: {
      kind: "virtual-key",
      key: { id: `key-${team}`, name: team, metadata: { team }, allowedModels: [] },
      attribution: { ...noAttribution, teamName: team },
    },
    route: routes.get(model),
    routes: routeTable,
    promptTokens: null,
    budgetReservation: undefined,
    attribution: undefined,
  } as unknown as GatewayContext;
}

function budget(overrides: Partial<BudgetConfig>): BudgetConfig {
  return {
    name: "b",
    scope: "team",
    match: [],
    period: "day",
    limitUsd: 25,
    hard: true,
    thresholds: [],
    ...overrides,
  };
}

function guardWith(budgets: BudgetConfig[], alerts: BudgetAlert[] = [], refusals: BudgetRefusal[] = []) {
  const counters = new MapCounters();
  const claimed = new Set<string>();
  const guard = new BudgetGuard({
    budgets,
    defaultTimeZone: "UTC",
    counters,
    costs,
    defaultMaxOutputTokens: 100,
    unpricedModels: "block",
    claimAlert: async (name) => !claimed.has(name) && claimed.add(name) !== undefined,
    onAlert: (alert) => alerts.push(alert),
    onError: (error) => {
      throw error;
    },
    onRefusal: (refusal) => refusals.push(refusal),
  });
  return { guard, counters };
}

async function run(guard: BudgetGuard, context: GatewayContext): Promise<string> {
  return guard
    .step()(context, async () => ok)
    .then(
      () => "ok",
      (error: unknown) => (isGatewayError(error) ? error.code : String(error)),
    );
}

/** USD on the counter whose key starts with `prefix` (budget:scope:value). */
const spentOn = async (counters: MapCounters, prefix: string) => {
  const matching = [...counters.values].filter(([key]) => key.startsWith(`${prefix}:`));
  return matching.reduce((sum, [, value]) => sum + value, 0) / nanoUsdPerUsd;
};

describe("BudgetGuard", () => {
  it("reserves the worst case, then settles to the actual cost", async () => {
    const { guard, counters } = guardWith([budget({})]);
    const context = contextFor("search");
    expect(await run(guard, context)).toBe("ok");
    expect(context.promptTokens).toBe(7);
    expect(await spentOn(counters, "b:team:search")).toBe(10);
    guard.settle(context, 4);
    await vi.waitFor(async () => expect(await spentOn(counters, "b:team:search")).toBe(4));
    // 4 spent + 10 + 10 reserved fits 25; a third reservation does not.
    const [second, third, fourth] = [contextFor("search"), contextFor("search"), contextFor("search")];
    expect([await run(guard, second), await run(guard, third), await run(guard, fourth)]).toEqual([
      "ok",
      "ok",
      "GW_ERR_BUDGET_EXCEEDED",
    ]);
  });

  it("keeps teams apart and charges key and team budgets all or nothing", async () => {
    const { guard, counters } = guardWith([budget({}), budget({ name: "k", scope: "key", limitUsd: 15 })]);
    expect(await run(guard, contextFor("search"))).toBe("ok");
    expect(await run(guard, contextFor("ads"))).toBe("ok");
    // The key budget (15) refuses the second request of key-search; the team counter is not charged either.
    expect(await run(guard, contextFor("search"))).toBe("GW_ERR_BUDGET_EXCEEDED");
    expect(await spentOn(counters, "b:team:search")).toBe(10);
    expect(await spentOn(counters, "k:key:key-search")).toBe(10);
  });

  it("never refuses on a soft budget, and alerts each threshold once", async () => {
    const alerts: BudgetAlert[] = [];
    const { guard } = guardWith([budget({ hard: false, limitUsd: 10, thresholds: [0.5, 1] })], alerts);
    for (let index = 0; index < 3; index += 1) {
      const context = contextFor("search");
      expect(await run(guard, context)).toBe("ok");
      guard.settle(context, 4);
    }
    await vi.waitFor(() => expect(alerts.map((alert) => alert.threshold)).toEqual([0.5, 1]));
    expect(alerts[1]).toMatchObject({ budget: "b", scope: "team", scopeValue: "search", limitUsd: 10 });
  });

  it("downgrades instead of refusing when the cheaper model's reservation fits", async () => {
    const { guard } = guardWith([budget({ limitUsd: 12, downgrade: { model: "cheap", atFraction: 0.9 } })]);
    const first = contextFor("search");
    expect(await run(guard, first)).toBe("ok");
    expect(first.route?.groupName).toBe("dear");
    const second = contextFor("search");
    // $10 held; the dear reservation ($10) does not fit in $2, the cheap one ($1) does.
    expect(await run(guard, second)).toBe("ok");
    expect(second.route?.groupName).toBe("cheap");
    expect(second.budgetReservation?.amount).toBe(1 * nanoUsdPerUsd);
  });

  it("refuses an unpriced model for a budgeted caller and ignores callers no budget matches", async () => {
    const { guard } = guardWith([budget({ match: ["search"] })]);
    routes.set("unknown", route("unknown-model"));
    expect(await run(guard, contextFor("search", "unknown"))).toBe("GW_ERR_BUDGET_MODEL_UNPRICED");
    const outsider = contextFor("ads", "unknown");
    expect(await run(guard, outsider)).toBe("ok");
    expect(outsider.budgetReservation).toBeUndefined();
  });

  it("reports each refusal with the refusing budget's scope; a downgrade or a downstream error is none", async () => {
    const refusals: BudgetRefusal[] = [];
    const { guard } = guardWith(
      [
        budget({}),
        budget({ name: "k", scope: "key", limitUsd: 15 }),
        budget({ name: "p", scope: "project", limitUsd: 100, match: ["none"] }),
      ],
      [],
      refusals,
    );
    expect(await run(guard, contextFor("search"))).toBe("ok");
    expect(await run(guard, contextFor("search"))).toBe("GW_ERR_BUDGET_EXCEEDED");
    routes.set("unknown", route("unknown-model"));
    expect(await run(guard, contextFor("ads", "unknown"))).toBe("GW_ERR_BUDGET_MODEL_UNPRICED");
    const failing = guard.step()(contextFor("ads"), async () => {
      throw new GatewayError("GW_ERR_BUDGET_UNAVAILABLE", "downstream");
    });
    await expect(failing).rejects.toThrow("downstream");
    expect(refusals).toEqual([
      { scope: "key", reason: "exceeded" },
      { scope: "any", reason: "unpriced" },
    ]);
    const downgrading = guardWith(
      [budget({ limitUsd: 12, downgrade: { model: "cheap", atFraction: 0.9 } })],
      [],
      refusals,
    ).guard;
    expect(await run(downgrading, contextFor("search"))).toBe("ok");
    expect(await run(downgrading, contextFor("search"))).toBe("ok");
    expect(refusals).toHaveLength(2);
  });
});
