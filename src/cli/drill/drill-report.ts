import type { ResilienceConfig } from "../../core/gateway-config.js";
import type { DrillScenario } from "./drill-scenarios.js";
import type { RequestOutcome } from "./run-drill.js";

export interface DrillTotals {
  readonly scenario: DrillScenario;
  readonly group: string;
  /** The primary target's id (`provider/model`). */
  readonly primary: string;
  readonly requests: number;
  readonly concurrency: number;
  readonly durationMs: number;
  readonly resilience: ResilienceConfig;
}

export interface AcceptanceCheck {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}

export interface DrillResult {
  readonly scenario: string;
  readonly group: string;
  readonly primary: string;
  readonly requests: number;
  readonly streamed: number;
  readonly concurrency: number;
  readonly durationMs: number;
  readonly succeeded: number;
  readonly successRate: number;
  readonly signalledFailures: number;
  readonly unsignalledFailures: number;
  /** Streams the primary served that ended with a clean `[DONE]`. */
  readonly primaryCleanStreamEndings: number;
  readonly primaryServed: number;
  readonly primaryFailedAttempts: number;
  readonly fallbacks: number;
  readonly retries: number;
  readonly retryBudgetAllows: number;
  readonly retriesRefusedByBudget: number;
  readonly breakerOpened: number;
  readonly breakerProbes: number;
  readonly breakerStateAtEnd: string;
  readonly latencyMs: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
  readonly acceptance: readonly AcceptanceCheck[];
  readonly passed: boolean;
}

/** Sums the client outcomes and the gateway's metrics, and checks the scenario's acceptance figures. */
export function summarizeDrill(
  totals: DrillTotals,
  outcomes: readonly RequestOutcome[],
  metrics: string,
): DrillResult {
  const { scenario, resilience } = totals;
  const succeeded = outcomes.filter((outcome) => outcome.ok).length;
  const signalledFailures = outcomes.filter((outcome) => !outcome.ok && outcome.signalled).length;
  const unsignalledFailures = outcomes.length - succeeded - signalledFailures;
  const primaryOutcomes = outcomes.filter((outcome) => outcome.target === totals.primary);
  const primaryServed = primaryOutcomes.filter((outcome) => outcome.ok || outcome.signalled).length;
  const primaryCleanStreamEndings = primaryOutcomes.filter((outcome) => outcome.stream && outcome.ok).length;
  const primaryFailedAttempts = metricSum(
    metrics,
    "switchyard_upstream_attempt_failures_total",
    totals.primary,
  );
  const retries = metricSum(metrics, "switchyard_upstream_retries_total");
  const budget = resilience.retryBudget;
  const retryBudgetAllows = Math.floor(
    budget.ratio * totals.requests +
      budget.minRetriesPerSecond * ((totals.durationMs + budget.windowMs) / 1000),
  );
  const breakerOpened = metricSum(
    metrics,
    "switchyard_circuit_breaker_transitions_total",
    totals.primary,
    "open",
  );
  const breakerProbes = metricSum(
    metrics,
    "switchyard_circuit_breaker_transitions_total",
    totals.primary,
    "half-open",
  );
  const stateValue = metricSum(metrics, "switchyard_circuit_breaker_state", totals.primary);
  const successRate = outcomes.length === 0 ? 0 : succeeded / outcomes.length;
  const acceptance: AcceptanceCheck[] = [
    {
      name: "every failure signalled",
      passed: unsignalledFailures === 0,
      detail: `${unsignalledFailures} failures reached the client without an error status or error event`,
    },
    {
      name: "retries within the budget",
      passed: retries <= retryBudgetAllows,
      detail: `${retries} retries, budget allows ${retryBudgetAllows}`,
    },
  ];
  if (scenario.minimumSuccessRate !== undefined) {
    acceptance.push({
      name: `success ≥ ${(scenario.minimumSuccessRate * 100).toFixed(1)}%`,
      passed: successRate >= scenario.minimumSuccessRate,
      detail: `${(successRate * 100).toFixed(2)}% of ${outcomes.length}`,
    });
  }
  if (scenario.name === "mid-stream-cuts") {
    acceptance.push({
      name: "no clean ending of a cut stream",
      passed: primaryCleanStreamEndings === 0 && primaryServed > 0,
      detail: `${primaryCleanStreamEndings} of ${primaryServed} streams from the primary ended with [DONE]`,
    });
  }
  if (scenario.breakerMustOpen) {
    const bound = resilience.circuitBreaker.consecutiveFailures + totals.concurrency + breakerProbes;
    const primaryAttempts = primaryFailedAttempts + primaryServed;
    acceptance.push({
      name: "breaker opens and traffic moves",
      passed: breakerOpened > 0 && primaryAttempts <= bound,
      detail: `opened ${breakerOpened}×; ${primaryAttempts} attempts reached the primary (bound: ${resilience.circuitBreaker.consecutiveFailures} failures + ${totals.concurrency} in flight + ${breakerProbes} probes)`,
    });
  }
  const latencies = outcomes.map((outcome) => outcome.latencyMs).sort((a, b) => a - b);
  return {
    scenario: scenario.name,
    group: totals.group,
    primary: totals.primary,
    requests: totals.requests,
    streamed: outcomes.filter((outcome) => outcome.stream).length,
    concurrency: totals.concurrency,
    durationMs: totals.durationMs,
    succeeded,
    successRate,
    signalledFailures,
    unsignalledFailures,
    primaryCleanStreamEndings,
    primaryServed,
    primaryFailedAttempts,
    fallbacks: outcomes.filter((outcome) => outcome.fallback).length,
    retries,
    retryBudgetAllows,
    retriesRefusedByBudget: metricSum(metrics, "switchyard_retry_budget_exhausted_total"),
    breakerOpened,
    breakerProbes,
    breakerStateAtEnd: stateValue === 2 ? "open" : stateValue === 1 ? "half-open" : "closed",
    latencyMs: {
      p50: percentile(latencies, 0.5),
      p90: percentile(latencies, 0.9),
      p99: percentile(latencies, 0.99),
      max: latencies.at(-1) ?? 0,
    },
    acceptance,
    passed: acceptance.every((check) => check.passed),
  };
}

function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? 0;
}

/** Sums a metric's samples whose labels include `target="…"` (and `state="…"`) when given. */
function metricSum(metrics: string, name: string, target?: string, state?: string): number {
  let sum = 0;
  for (const line of metrics.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (target !== undefined && !line.includes(`target="${target}"`)) continue;
    if (state !== undefined && !line.includes(`state="${state}"`)) continue;
    const value = Number(line.slice(line.lastIndexOf(" ") + 1));
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}

/** The report `switchyard drill` prints. */
export function formatDrillResult(result: DrillResult, description: string): string[] {
  const percent = (value: number) => `${(value * 100).toFixed(2)}%`;
  const { latencyMs } = result;
  return [
    `drill ${result.scenario} on model group ${result.group} (primary ${result.primary})`,
    `  ${description}`,
    `  requests     ${result.requests} (${result.streamed} streamed), concurrency ${result.concurrency}, ${(result.durationMs / 1000).toFixed(1)} s`,
    `  success      ${result.succeeded} (${percent(result.successRate)})`,
    `  failures     ${result.signalledFailures} signalled, ${result.unsignalledFailures} not signalled`,
    `  latency      p50 ${latencyMs.p50.toFixed(0)} ms, p90 ${latencyMs.p90.toFixed(0)} ms, p99 ${latencyMs.p99.toFixed(0)} ms, max ${latencyMs.max.toFixed(0)} ms`,
    `  fallbacks    ${result.fallbacks} responses came from a fallback target`,
    `  retries      ${result.retries} (budget allows ${result.retryBudgetAllows}; ${result.retriesRefusedByBudget} refused by it)`,
    `  breaker      primary opened ${result.breakerOpened}×, ${result.breakerProbes} probes, ${result.breakerStateAtEnd} at the end`,
    `  primary      ${result.primaryServed} answers, ${result.primaryFailedAttempts} failed attempts, ${result.primaryCleanStreamEndings} clean stream endings`,
    ...result.acceptance.map(
      (check) => `  ${check.passed ? "PASS" : "FAIL"}         ${check.name}: ${check.detail}`,
    ),
    result.passed ? "drill passed" : "drill FAILED",
  ];
}
