import { Counter, Gauge, type Registry } from "prom-client";
import type { BreakerState } from "./circuit-breakers.js";

const breakerStateValue: Record<BreakerState, number> = { closed: 0, "half-open": 1, open: 2 };

/**
 * Prometheus series for retries, fallbacks and circuit breakers. Labels are configured group names, target ids
 * (`provider/model`, `provider/*` for catch-alls) and fixed words: bounded by the config.
 */
export class ResilienceMetrics {
  readonly retries: Counter<"model_group" | "target" | "reason">;
  readonly fallbacks: Counter<"model_group" | "from_target" | "reason">;
  readonly retryBudgetExhausted: Counter<"model_group">;
  readonly attemptFailures: Counter<"target" | "reason">;
  readonly breakerSkips: Counter<"target">;
  readonly breakerState: Gauge<"target">;
  readonly breakerTransitions: Counter<"target" | "state">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.retries = new Counter({
      name: "switchyard_upstream_retries_total",
      help: "Retries of the same target, by model group, target and the failure class that caused them.",
      labelNames: ["model_group", "target", "reason"],
      registers,
    });
    this.fallbacks = new Counter({
      name: "switchyard_fallbacks_total",
      help: "Moves to the next target of a group, by the target left and the failure class (or open_circuit).",
      labelNames: ["model_group", "from_target", "reason"],
      registers,
    });
    this.retryBudgetExhausted = new Counter({
      name: "switchyard_retry_budget_exhausted_total",
      help: "Retries not made because the retry budget was spent.",
      labelNames: ["model_group"],
      registers,
    });
    this.attemptFailures = new Counter({
      name: "switchyard_upstream_attempt_failures_total",
      help: "Failed upstream attempts before anything reached the client, by target and failure class.",
      labelNames: ["target", "reason"],
      registers,
    });
    this.breakerSkips = new Counter({
      name: "switchyard_circuit_breaker_skips_total",
      help: "Times a target was skipped because its circuit breaker was open (or probing).",
      labelNames: ["target"],
      registers,
    });
    this.breakerState = new Gauge({
      name: "switchyard_circuit_breaker_state",
      help: "Circuit breaker state per target: 0 closed, 1 half-open, 2 open.",
      labelNames: ["target"],
      registers,
    });
    this.breakerTransitions = new Counter({
      name: "switchyard_circuit_breaker_transitions_total",
      help: "Circuit breaker state changes, by target and the state entered.",
      labelNames: ["target", "state"],
      registers,
    });
  }

  breakerCreated(targetId: string): void {
    this.breakerState.set({ target: targetId }, 0);
  }

  breakerChanged(targetId: string, state: BreakerState): void {
    this.breakerState.set({ target: targetId }, breakerStateValue[state]);
    this.breakerTransitions.inc({ target: targetId, state });
  }
}
