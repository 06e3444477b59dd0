import type { SimulatorFault } from "../../core/gateway-config.js";

export type DrillScenarioName = "primary-faults" | "mid-stream-cuts" | "primary-down" | "latency-spike";

export interface DrillScenario {
  readonly name: DrillScenarioName;
  readonly description: string;
  /** Replaces the primary target's simulator faults for the drill. */
  readonly primaryFaults: readonly SimulatorFault[];
  /** Replaces the primary's latency when set. */
  readonly primaryLatencyMs?: number;
  /** Share of requests sent with `stream: true`. */
  readonly streamShare: number;
  /** The minimum client success rate the scenario must reach, if it sets one. */
  readonly minimumSuccessRate?: number;
  /** Whether the primary's breaker must have opened by the end. */
  readonly breakerMustOpen: boolean;
}

/** Rates that give each of `count` faults the same share `total / count` when rolled in order. */
function evenlySplit(kinds: readonly SimulatorFault["kind"][], total: number): SimulatorFault[] {
  const each = total / kinds.length;
  return kinds.map((kind, index) => ({ kind, rate: each / (1 - each * index) }));
}

export const drillScenarios: Readonly<Record<DrillScenarioName, DrillScenario>> = {
  "primary-faults": {
    name: "primary-faults",
    description: "the primary fails 30% of requests before the first byte: 429, 500, connection reset, stall",
    primaryFaults: evenlySplit(["429", "500", "reset", "stall"], 0.3),
    streamShare: 0.5,
    minimumSuccessRate: 0.999,
    breakerMustOpen: false,
  },
  "mid-stream-cuts": {
    name: "mid-stream-cuts",
    description: "the primary cuts every stream half-way, after content began",
    primaryFaults: [{ kind: "cut-mid-stream", rate: 1 }],
    streamShare: 1,
    breakerMustOpen: true,
  },
  "primary-down": {
    name: "primary-down",
    description: "the primary resets every connection",
    primaryFaults: [{ kind: "reset", rate: 1 }],
    streamShare: 0.5,
    minimumSuccessRate: 0.999,
    breakerMustOpen: true,
  },
  "latency-spike": {
    name: "latency-spike",
    description: "the primary answers only after 5 s (needs resilience.timeouts.firstTokenMs below that)",
    primaryFaults: [],
    primaryLatencyMs: 5_000,
    streamShare: 0.5,
    minimumSuccessRate: 0.999,
    breakerMustOpen: true,
  },
};

export function isDrillScenarioName(name: string): name is DrillScenarioName {
  return Object.hasOwn(drillScenarios, name);
}
