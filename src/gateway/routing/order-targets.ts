import type { RoutingStrategy } from "../../core/gateway-config.js";
import type { ResolvedTarget } from "../route-table.js";
import type { LatencySettings } from "../target-stats.js";

/** Uniform in [0, 1); injected so tests are deterministic. */
export type RandomSource = () => number;

export interface OrderingInput {
  /** `performance.now()`. */
  readonly now: number;
  readonly latency: LatencySettings;
  readonly random: RandomSource;
  /** Estimated input and output tokens, for `cost`. */
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** Output tokens assumed for `cost` when the request sets no maximum. */
export const assumedOutputTokens = 256;

/**
 * The targets in the order to try them. `priority` keeps config order; the others rank by their figure and keep
 * config order among equals, then move targets on a run of failures behind the healthy ones.
 */
export function orderTargets(
  strategy: RoutingStrategy,
  targets: readonly ResolvedTarget[],
  input: OrderingInput,
): readonly ResolvedTarget[] {
  if (targets.length < 2 || strategy === "priority") return targets;
  const ranked = rank(strategy, targets, input);
  const healthy = (target: ResolvedTarget) => target.stats.isHealthy(input.now, input.latency);
  if (ranked.every(healthy)) return ranked;
  return [...ranked.filter(healthy), ...ranked.filter((target) => !healthy(target))];
}

function rank(
  strategy: Exclude<RoutingStrategy, "priority">,
  targets: readonly ResolvedTarget[],
  input: OrderingInput,
): ResolvedTarget[] {
  switch (strategy) {
    case "weighted":
      return weightedOrder(targets, input.random);
    case "least-busy":
      return sortBy(targets, (target) => target.stats.inFlight);
    case "least-latency":
      // Unmeasured (or stale) targets first, so each gets sampled.
      return sortBy(targets, (target) => target.stats.currentLatency(input.now, input.latency) ?? -1);
    case "cost":
      return sortBy(targets, (target) => estimatedCost(target, input));
  }
}

/**
 * A weighted random permutation (Efraimidis–Spirakis: key u^(1/w), largest first): the first target is drawn
 * with probability weight / total, and the rest follow as fallbacks in the same weighted way.
 */
function weightedOrder(targets: readonly ResolvedTarget[], random: RandomSource): ResolvedTarget[] {
  const keyed = targets.map((target) => ({ target, key: random() ** (1 / target.weight) }));
  keyed.sort((left, right) => right.key - left.key);
  return keyed.map((entry) => entry.target);
}

/** Unknown prices rank last. */
function estimatedCost(target: ResolvedTarget, input: OrderingInput): number {
  const pricing = target.pricing;
  if (pricing === undefined) return Number.POSITIVE_INFINITY;
  const output = input.outputTokens > 0 ? input.outputTokens : assumedOutputTokens;
  return input.inputTokens * pricing.inputPerMTok + output * pricing.outputPerMTok;
}

/** Stable: equal figures keep config order. */
function sortBy(
  targets: readonly ResolvedTarget[],
  figure: (target: ResolvedTarget) => number,
): ResolvedTarget[] {
  return targets
    .map((target, index) => ({ target, index, value: figure(target) }))
    .sort((left, right) => left.value - right.value || left.index - right.index)
    .map((entry) => entry.target);
}
