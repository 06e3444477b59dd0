import type { ModelGroupConfig, RoutingConfig } from "../../src/core/gateway-config.js";
import type { ProviderAdapter } from "../../src/core/ports/provider-adapter.js";
import { buildRouteTable, type RouteTable } from "../../src/gateway/route-table.js";
import type { CountTokensWithin } from "../../src/gateway/routing/input-size.js";
import { TargetStatsRegistry } from "../../src/gateway/target-stats.js";

/** An adapter that is never called: routing tests look at the plan only. */
export function idleAdapter(name: string): ProviderAdapter {
  return {
    name,
    capabilities: {
      dialect: "openai",
      operations: ["chat.completions", "embeddings"],
      streamUsage: true,
      forwardedHeaderPrefixes: [],
    },
    send: () => Promise.reject(new Error("not used")),
    listModels: async () => [],
    close: async () => undefined,
  };
}

/** A route table over idle adapters named after every provider the groups mention. */
export function routingTable(
  groups: readonly ModelGroupConfig[],
  options: { routing?: RoutingConfig; countTokens?: CountTokensWithin; stats?: TargetStatsRegistry } = {},
): RouteTable {
  const adapters = new Map<string, ProviderAdapter>();
  for (const group of groups)
    for (const target of group.targets) adapters.set(target.provider, idleAdapter(target.provider));
  return buildRouteTable(groups, adapters, {
    stats: options.stats ?? new TargetStatsRegistry(),
    routing: options.routing,
    countTokens: options.countTokens,
  });
}

/** A random source replaying `values` in a loop. */
export function replayRandom(values: readonly number[]): () => number {
  let index = 0;
  return () => {
    const value = values[index % values.length] as number;
    index += 1;
    return value;
  };
}

/** mulberry32: a small seeded PRNG, so splits drawn in tests are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}
