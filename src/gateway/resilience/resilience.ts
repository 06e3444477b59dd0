import type { FailureClass, ResilienceConfig, RetrySettings } from "../../core/gateway-config.js";
import { CircuitBreakers } from "./circuit-breakers.js";
import type { ResilienceMetrics } from "./resilience-metrics.js";
import { RetryBudget } from "./retry-budget.js";

/** The settings that apply to one model group: the defaults with the group's overrides. */
export interface GroupResilience {
  readonly fallbackOn: ReadonlySet<FailureClass>;
  readonly retryOn: ReadonlySet<FailureClass>;
  readonly retries: RetrySettings;
  readonly firstTokenMs: number | undefined;
  readonly totalMs: number | undefined;
  readonly streamHoldBackMs: number;
}

/**
 * The failure-handling state of one gateway: settings, the retry budget and a circuit breaker per target. It
 * outlives config reloads that leave the `resilience` section unchanged, so breakers keep their state.
 */
export class Resilience {
  readonly config: ResilienceConfig;
  readonly breakers: CircuitBreakers;
  readonly budget: RetryBudget;
  readonly metrics: ResilienceMetrics;
  readonly #groups = new Map<string, GroupResilience>();

  constructor(config: ResilienceConfig, metrics: ResilienceMetrics) {
    this.config = config;
    this.metrics = metrics;
    this.budget = new RetryBudget(config.retryBudget);
    this.breakers = new CircuitBreakers(config.circuitBreaker, (targetId, state, initial) =>
      initial ? metrics.breakerCreated(targetId) : metrics.breakerChanged(targetId, state),
    );
  }

  forGroup(groupName: string): GroupResilience {
    let group = this.#groups.get(groupName);
    if (group === undefined) {
      group = this.#resolve(groupName);
      // Group names come from the config, except on the catch-all route, which resolves to `*`.
      this.#groups.set(groupName, group);
    }
    return group;
  }

  #resolve(groupName: string): GroupResilience {
    const { config } = this;
    const overrides = config.groups[groupName];
    const retryOn = overrides?.retryOn ?? config.retries.retryOn;
    return {
      fallbackOn: new Set(overrides?.fallbackOn ?? config.fallbackOn),
      retryOn: new Set(retryOn),
      retries: {
        ...config.retries,
        retryOn,
        maxRetriesPerTarget: overrides?.maxRetriesPerTarget ?? config.retries.maxRetriesPerTarget,
      },
      firstTokenMs: overrides?.firstTokenMs ?? config.timeouts.firstTokenMs,
      totalMs: overrides?.totalMs ?? config.timeouts.totalMs,
      streamHoldBackMs: config.streamHoldBackMs,
    };
  }
}
