import type {
  ModelGroupConfig,
  ModelTargetConfig,
  RoutingConfig,
  RoutingStrategy,
  TargetCapabilities,
  TargetPricing,
} from "../core/gateway-config.js";
import type { ProviderAdapter } from "../core/ports/provider-adapter.js";
import type { CountTokensWithin } from "./routing/input-size.js";
import { compileRoutingRules, type RoutingRule } from "./routing/routing-rules.js";
import { type LatencySettings, type TargetStats, TargetStatsRegistry } from "./target-stats.js";

export interface ResolvedTarget {
  readonly adapter: ProviderAdapter;
  /** Model name sent upstream. */
  readonly upstreamModel: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** `provider/upstream-model`, as shown in `x-switchyard-target`. */
  readonly label: string;
  /**
   * Stable, config-bounded identity of the upstream (circuit breakers, metrics): the label for named groups,
   * `provider/*` for catch-all targets that pass the client's model name through.
   */
  readonly id: string;
  /** Live in-flight and latency figures, shared by every group routing to this label. */
  readonly stats: TargetStats;
  readonly weight: number;
  readonly maxConcurrency: number | undefined;
  readonly pricing: TargetPricing | undefined;
  readonly capabilities: TargetCapabilities;
}

export interface ResolvedRoute {
  /** The configured group name (`*` for the catch-all). */
  readonly groupName: string;
  /** In config order; the route step orders them per request by `strategy`. */
  readonly targets: readonly ResolvedTarget[];
  readonly strategy: RoutingStrategy;
  readonly contextFallback: string | undefined;
  /** Priority order and no capability declared: nothing to plan per request (rules aside). */
  readonly plain: boolean;
  /** Some target declares a context window: only then is the request's size estimated. */
  readonly windowed: boolean;
}

export interface RouteTable {
  resolve(modelName: string): ResolvedRoute | undefined;
  /** Conditional routing rules, compiled, in config order. */
  readonly rules: readonly RoutingRule[];
  readonly latency: LatencySettings;
  /** The tokenizer for window checks; absent, only the no-tokenizer upper bound is used (conservative). */
  readonly countTokens: CountTokensWithin | undefined;
  /** Explicitly named groups, in config order. */
  readonly namedGroups: readonly string[];
  /** Adapters behind the catch-all group, if any, for listing their models. */
  readonly wildcardAdapters: readonly ProviderAdapter[];
}

export interface RouteTableOptions {
  /** Shared across reloads so in-flight counts and latencies survive them; default: a new registry. */
  readonly stats?: TargetStatsRegistry | undefined;
  readonly routing?: RoutingConfig | undefined;
  readonly countTokens?: CountTokensWithin | undefined;
}

/** Builds the model-name → targets map once per config, so a lookup on the hot path is one Map read. */
export function buildRouteTable(
  groups: readonly ModelGroupConfig[],
  adapters: ReadonlyMap<string, ProviderAdapter>,
  options: RouteTableOptions = {},
): RouteTable {
  const registry = options.stats ?? new TargetStatsRegistry();
  const adapterFor = (name: string): ProviderAdapter => {
    const adapter = adapters.get(name);
    if (adapter === undefined) throw new Error(`no adapter for provider ${name}`);
    return adapter;
  };
  const resolveTarget = (target: ModelTargetConfig, groupName: string, modelName: string): ResolvedTarget => {
    const upstreamModel = target.model ?? modelName;
    // Catch-all targets pass client-chosen names through; their id stays `provider/*` so that breakers and
    // stats stay bounded by the config.
    const id =
      groupName === "*" ? `${target.provider}/${target.model ?? "*"}` : `${target.provider}/${upstreamModel}`;
    return {
      adapter: adapterFor(target.provider),
      upstreamModel,
      params: target.params,
      label: `${target.provider}/${upstreamModel}`,
      id,
      stats: registry.get(id),
      weight: target.weight ?? 1,
      maxConcurrency: target.maxConcurrency,
      pricing: target.pricing,
      capabilities: target.capabilities ?? {},
    };
  };
  const routeOf = (group: ModelGroupConfig, groupName: string, modelName: string): ResolvedRoute => {
    const strategy = group.strategy ?? "priority";
    return {
      groupName,
      targets: group.targets.map((target) => resolveTarget(target, groupName, modelName)),
      strategy,
      contextFallback: group.contextFallback,
      windowed: group.targets.some((target) => target.capabilities?.contextWindow !== undefined),
      plain:
        strategy === "priority" &&
        group.targets.every((target) => Object.keys(target.capabilities ?? {}).length === 0),
    };
  };
  const named = new Map<string, ResolvedRoute>();
  let wildcard: ModelGroupConfig | undefined;
  for (const group of groups) {
    if (group.name === "*") {
      wildcard = group;
      continue;
    }
    named.set(group.name, routeOf(group, group.name, group.name));
  }
  const wildcardCache = new Map<string, ResolvedRoute>();
  const wildcardGroup = wildcard;
  return {
    namedGroups: [...named.keys()],
    wildcardAdapters: wildcardGroup?.targets.map((target) => adapterFor(target.provider)) ?? [],
    rules: compileRoutingRules(options.routing?.rules ?? []),
    latency: {
      smoothing: options.routing?.latencySmoothing ?? 0.3,
      staleAfterMs: options.routing?.latencyStaleAfterMs ?? 30_000,
    },
    countTokens: options.countTokens,
    resolve(modelName) {
      const route = named.get(modelName);
      if (route !== undefined || wildcardGroup === undefined) return route;
      let cached = wildcardCache.get(modelName);
      if (cached === undefined) {
        cached = routeOf(wildcardGroup, "*", modelName);
        // Bounded: client-chosen names must not grow memory without limit.
        if (wildcardCache.size >= 1000) wildcardCache.clear();
        wildcardCache.set(modelName, cached);
      }
      return cached;
    },
  };
}
