import type { Registry } from "prom-client";
import type { SwitchyardConfig } from "../core/gateway-config.js";
import { AdmissionController } from "./admission-controller.js";
import type { GatewayStep } from "./compose-steps.js";
import { type EventLoopLag, startEventLoopLag } from "./event-loop-lag.js";
import type { RouteTableOptions } from "./route-table.js";
import type { CountTokensWithin } from "./routing/input-size.js";
import { loadTokenCounter } from "./routing/load-token-counter.js";
import { registerRoutingMetrics } from "./routing-metrics.js";
import { backpressureStep } from "./steps/backpressure-step.js";
import { TargetStatsRegistry } from "./target-stats.js";

/**
 * The process-wide routing state the composition root wires in once: target figures (kept across reloads),
 * the admission controller and its step, the event-loop lag sampler and their metrics.
 */
export class RoutingRuntime {
  readonly stats = new TargetStatsRegistry();
  readonly admission: AdmissionController;
  readonly step: GatewayStep;
  readonly #lag: EventLoopLag;
  #tokenCounter: Promise<CountTokensWithin> | undefined;

  constructor(config: SwitchyardConfig, registry: Registry) {
    const lag = startEventLoopLag();
    this.#lag = lag;
    // The gauges read the controller lazily, at scrape time.
    const metrics = registerRoutingMetrics(registry, {
      admission: () => this.admission,
      lag,
      targets: this.stats,
    });
    this.admission = new AdmissionController({
      settings: config.backpressure,
      lagMs: () => lag.current(),
      onShed: metrics.shed,
    });
    this.step = backpressureStep(this.admission);
  }

  /** What `buildRouteTable` needs for this config; loads the tokenizer the first time a window is declared. */
  async routeTableOptions(config: SwitchyardConfig): Promise<RouteTableOptions> {
    const windowAware = config.models.some((group) =>
      group.targets.some((target) => target.capabilities?.contextWindow !== undefined),
    );
    if (windowAware) this.#tokenCounter ??= loadTokenCounter();
    return {
      stats: this.stats,
      routing: config.routing,
      countTokens: windowAware ? await this.#tokenCounter : undefined,
    };
  }

  /** Applies a reloaded config's backpressure settings. */
  configure(config: SwitchyardConfig): void {
    this.admission.configure(config.backpressure);
  }

  close(): void {
    this.#lag.stop();
  }
}
