import type { ModelGroupConfig } from "../core/gateway-config.js";
import type { ProviderAdapter } from "../core/ports/provider-adapter.js";

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
}

export interface ResolvedRoute {
  /** The configured group name (`*` for the catch-all). */
  readonly groupName: string;
  readonly targets: readonly ResolvedTarget[];
}

export interface RouteTable {
  resolve(modelName: string): ResolvedRoute | undefined;
  /** Explicitly named groups, in config order. */
  readonly namedGroups: readonly string[];
  /** Adapters behind the catch-all group, if any, for listing their models. */
  readonly wildcardAdapters: readonly ProviderAdapter[];
}

/** Builds the model-name → targets map once per config, so a lookup on the hot path is one Map read. */
export function buildRouteTable(
  groups: readonly ModelGroupConfig[],
  adapters: ReadonlyMap<string, ProviderAdapter>,
): RouteTable {
  const adapterFor = (name: string): ProviderAdapter => {
    const adapter = adapters.get(name);
    if (adapter === undefined) throw new Error(`no adapter for provider ${name}`);
    return adapter;
  };
  const named = new Map<string, ResolvedRoute>();
  let wildcard: ModelGroupConfig | undefined;
  for (const group of groups) {
    if (group.name === "*") {
      wildcard = group;
      continue;
    }
    named.set(group.name, {
      groupName: group.name,
      targets: group.targets.map((target) => {
        const upstreamModel = target.model ?? group.name;
        return {
          adapter: adapterFor(target.provider),
          upstreamModel,
          params: target.params,
          label: `${target.provider}/${upstreamModel}`,
          id: `${target.provider}/${upstreamModel}`,
        };
      }),
    });
  }
  const wildcardCache = new Map<string, ResolvedRoute>();
  const wildcardGroup = wildcard;
  return {
    namedGroups: [...named.keys()],
    wildcardAdapters: wildcardGroup?.targets.map((target) => adapterFor(target.provider)) ?? [],
    resolve(modelName) {
      const route = named.get(modelName);
      if (route !== undefined || wildcardGroup === undefined) return route;
      let cached = wildcardCache.get(modelName);
      if (cached === undefined) {
        cached = {
          groupName: "*",
          targets: wildcardGroup.targets.map((target) => {
            const upstreamModel = target.model ?? modelName;
            return {
              adapter: adapterFor(target.provider),
              upstreamModel,
              params: target.params,
              label: `${target.provider}/${upstreamModel}`,
              id: `${target.provider}/${target.model ?? "*"}`,
            };
          }),
        };
        // Bounded: client-chosen names must not grow memory without limit.
        if (wildcardCache.size >= 1000) wildcardCache.clear();
        wildcardCache.set(modelName, cached);
      }
      return cached;
    },
  };
}
