import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { latencyBuckets } from "../core/latency-buckets.js";
import type { AttemptRecord } from "./gateway-context.js";
import { ResilienceMetrics } from "./resilience/resilience-metrics.js";
import {
  type CounterSeries,
  type HistogramSeries,
  SeriesCounter,
  SeriesHistogram,
} from "./series-metrics.js";

const overheadBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];

export interface RequestSample {
  readonly operation: string;
  readonly modelGroup: string;
  /** `provider/upstream-model` that served (or last failed); "" when no target was tried. */
  readonly target: string;
  /** The caller key's `team` and `project` metadata; "" when absent. */
  readonly team: string;
  readonly project: string;
  readonly status: string;
  readonly latencySeconds: number;
  readonly overheadSeconds: number;
  /** Streams only. */
  readonly timeToFirstTokenSeconds: number | null;
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly cachedTokens: number | null;
  /** Set by the cost step once one exists; null adds nothing. */
  readonly costUsd: number | null;
  readonly attempts: readonly AttemptRecord[];
}

/** A policy outcome as metrics count it: the configured policy, stage, detector family and action. */
export interface PolicyActionSample {
  readonly policy: string;
  readonly stage: string;
  readonly family: string;
  readonly action: string;
  readonly dryRun: boolean;
  readonly count: number;
}

interface RequestSeries {
  readonly requests: CounterSeries;
  readonly duration: HistogramSeries;
  readonly timeToFirstToken: HistogramSeries;
  readonly overhead: HistogramSeries;
  readonly inputTokens: CounterSeries;
  readonly outputTokens: CounterSeries;
  readonly cachedTokens: CounterSeries;
  /** Created on first use: no cost series exist until something reports a cost. */
  cost: CounterSeries | undefined;
}

const separator = "\u0000";
const misnamedDefaultGauges = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];

/**
 * The gateway's Prometheus metrics, in a registry of their own (one per server, so tests can run several).
 * Labels are bounded by design: configured group, provider, target and policy names, key team/project
 * metadata (set by admins) and status codes; never request ids, key ids or end-user ids.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new SeriesCounter(
    "switchyard_requests_total",
    "Requests answered, by operation, model group, provider, target and HTTP status.",
  );
  readonly requestDuration = new SeriesHistogram(
    "switchyard_request_duration_seconds",
    "Time from request arrival to the last byte sent, by operation, model group, target and HTTP status.",
    latencyBuckets,
  );
  readonly timeToFirstToken = new SeriesHistogram(
    "switchyard_time_to_first_token_seconds",
    "Time from request arrival to the first streamed event, by model group and target.",
    latencyBuckets,
  );
  readonly overhead = new SeriesHistogram(
    "switchyard_gateway_overhead_seconds",
    "Time spent in the gateway itself, excluding waiting on upstreams (to response headers for streams).",
    overheadBuckets,
  );
  readonly tokens = new SeriesCounter(
    "switchyard_tokens_total",
    "Tokens reported by upstreams, by direction (input, output, cached), model group, provider, team and project.",
  );
  readonly cost = new SeriesCounter(
    "switchyard_cost_usd_total",
    "Cost of requests in US dollars, by model group, team and project (when a cost is known).",
  );
  readonly attempts = new SeriesCounter(
    "switchyard_upstream_attempts_total",
    'Upstream attempts (retries and fallbacks included), by target and upstream status ("none": no answer).',
  );
  readonly policyActions = new SeriesCounter(
    "switchyard_policy_actions_total",
    "Detections safety policies acted on, by policy, stage, detector family, action and dry run.",
  );
  readonly requestLogDropped = new Counter({
    name: "switchyard_request_log_dropped_total",
    help: "Request-log rows dropped because the write queue was full.",
    registers: [this.registry],
  });
  readonly resilience = new ResilienceMetrics(this.registry);
  readonly rateLimitRefusals = new Counter({
    name: "switchyard_rate_limit_refusals_total",
    help: "Requests refused by a rate limit, by rule and limit kind (requests, tokens, concurrent, too-large).",
    labelNames: ["rule", "kind"],
    registers: [this.registry],
  });
  readonly budgetRefusals = new Counter({
    name: "switchyard_budget_refusals_total",
    help: "Requests refused by budgets, by budget scope (key, team, project; any) and reason (exceeded, unpriced, unavailable).",
    labelNames: ["budget_scope", "reason"],
    registers: [this.registry],
  });
  readonly rateLimitStoreErrors = new Counter({
    name: "switchyard_rate_limit_store_errors_total",
    help: "Rate-limit counter calls that failed (e.g. Redis unreachable).",
    registers: [this.registry],
  });
  readonly #requestSeries = new Map<string, RequestSeries>();
  readonly #attemptSeries = new Map<string, CounterSeries>();

  constructor() {
    for (const metric of [
      this.requests,
      this.requestDuration,
      this.timeToFirstToken,
      this.overhead,
      this.tokens,
      this.cost,
      this.attempts,
      this.policyActions,
    ]) {
      this.registry.registerMetric(metric.asPromMetric());
    }
    // Process CPU, memory, file descriptors, GC, and event-loop lag (`nodejs_eventloop_lag_*`).
    collectDefaultMetrics({ register: this.registry });
    // prom-client names these gauges `*_total`, which `promtool check metrics` rejects for non-counters.
    // Their per-type breakdowns (`nodejs_active_handles`, `nodejs_active_requests`, `nodejs_active_resources`) stay.
    for (const name of misnamedDefaultGauges) this.registry.removeSingleMetric(name);
  }

  /** A gauge read at scrape time (queue depths); costs nothing per request. */
  addGauge(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  /** Records one finished request: one Map lookup, then plain arithmetic. */
  recordRequest(sample: RequestSample): void {
    const key = `${sample.operation}\u0000${sample.modelGroup}\u0000${sample.target}\u0000${sample.status}\u0000${sample.team}\u0000${sample.project}`;
    let series = this.#requestSeries.get(key);
    if (series === undefined) {
      series = this.#createSeries(sample);
      this.#requestSeries.set(key, series);
    }
    series.requests.value += 1;
    series.duration.observe(sample.latencySeconds);
    series.overhead.observe(sample.overheadSeconds);
    if (sample.timeToFirstTokenSeconds !== null)
      series.timeToFirstToken.observe(sample.timeToFirstTokenSeconds);
    if (sample.inputTokens !== null) series.inputTokens.value += sample.inputTokens;
    if (sample.outputTokens !== null) series.outputTokens.value += sample.outputTokens;
    if (sample.cachedTokens !== null) series.cachedTokens.value += sample.cachedTokens;
    if (sample.costUsd !== null) {
      series.cost ??= this.cost.series([sample.modelGroup, sample.team, sample.project].join(separator), {
        model_group: sample.modelGroup,
        team: sample.team,
        project: sample.project,
      });
      series.cost.value += sample.costUsd;
    }
    for (const attempt of sample.attempts) this.#attemptCounter(attempt).value += 1;
  }

  recordPolicyAction(sample: PolicyActionSample): void {
    const dryRun = sample.dryRun ? "true" : "false";
    const key = [sample.policy, sample.stage, sample.family, sample.action, dryRun].join(separator);
    this.policyActions.series(key, {
      policy: sample.policy,
      stage: sample.stage,
      family: sample.family,
      action: sample.action,
      dry_run: dryRun,
    }).value += sample.count;
  }

  #attemptCounter(attempt: AttemptRecord): CounterSeries {
    const status = attempt.status === null ? "none" : String(attempt.status);
    const key = `${attempt.target}${separator}${status}`;
    let series = this.#attemptSeries.get(key);
    if (series === undefined) {
      series = this.attempts.series(key, { target: attempt.target, status });
      this.#attemptSeries.set(key, series);
    }
    return series;
  }

  #createSeries(sample: RequestSample): RequestSeries {
    // The provider is the target's first segment, so the series key need not name it.
    const provider = sample.target.split("/", 1)[0] ?? "";
    const group = { model_group: sample.modelGroup };
    const tokenLabels = {
      ...group,
      provider,
      team: sample.team,
      project: sample.project,
    };
    const tokenKey = [sample.modelGroup, provider, sample.team, sample.project].join(separator);
    const durationLabels = {
      operation: sample.operation,
      ...group,
      target: sample.target,
      status: sample.status,
    };
    const durationKey = [sample.operation, sample.modelGroup, sample.target, sample.status].join(separator);
    const ttftKey = `${sample.modelGroup}${separator}${sample.target}`;
    return {
      requests: this.requests.series(durationKey, {
        operation: sample.operation,
        ...group,
        provider,
        target: sample.target,
        status: sample.status,
      }),
      duration: this.requestDuration.series(durationKey, durationLabels),
      timeToFirstToken: this.timeToFirstToken.series(ttftKey, { ...group, target: sample.target }),
      overhead: this.overhead.series("", {}),
      inputTokens: this.tokens.series(`${tokenKey}${separator}input`, { ...tokenLabels, direction: "input" }),
      outputTokens: this.tokens.series(`${tokenKey}${separator}output`, {
        ...tokenLabels,
        direction: "output",
      }),
      cachedTokens: this.tokens.series(`${tokenKey}${separator}cached`, {
        ...tokenLabels,
        direction: "cached",
      }),
      cost: undefined,
    };
  }
}
