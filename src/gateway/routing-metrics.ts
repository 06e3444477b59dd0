import { Counter, Gauge, type Registry } from "prom-client";
import type { AdmissionController, ShedReason } from "./admission-controller.js";
import type { EventLoopLag } from "./event-loop-lag.js";
import type { TargetStatsRegistry } from "./target-stats.js";

export interface RoutingMetrics {
  /** Counts one shed request. */
  readonly shed: (reason: ShedReason) => void;
}

/**
 * Routing and backpressure metrics. The gauges are read from live state when `/metrics` is scraped, so the
 * request path pays nothing for them; only a shed request touches a counter.
 */
export function registerRoutingMetrics(
  registry: Registry,
  sources: {
    readonly admission: () => AdmissionController;
    readonly lag: EventLoopLag;
    readonly targets: TargetStatsRegistry;
  },
): RoutingMetrics {
  const shed = new Counter({
    name: "switchyard_shed_total",
    help: "Requests shed with 503 by backpressure, by reason (queue-full, queue-timeout, event-loop).",
    labelNames: ["reason"],
    registers: [registry],
  });
  new Gauge({
    name: "switchyard_admission_queue_depth",
    help: "Requests waiting for a backpressure slot.",
    registers: [registry],
    collect() {
      this.set(sources.admission().queued);
    },
  });
  new Gauge({
    name: "switchyard_admission_active",
    help: "Requests holding a backpressure slot.",
    registers: [registry],
    collect() {
      this.set(sources.admission().active);
    },
  });
  new Gauge({
    name: "switchyard_event_loop_lag_seconds",
    help: "Worst event-loop lag (timer drift) over the last second, as backpressure sees it.",
    registers: [registry],
    collect() {
      this.set(sources.lag.current() / 1000);
    },
  });
  new Gauge({
    name: "switchyard_target_in_flight",
    help: "Requests in flight per target (provider/model), as least-busy routing and per-target limits see them.",
    labelNames: ["target"],
    registers: [registry],
    collect() {
      this.reset();
      for (const stats of sources.targets.all()) this.set({ target: stats.label }, stats.inFlight);
    },
  });
  return { shed: (reason) => shed.inc({ reason }) };
}
