import { Counter, collectDefaultMetrics, Registry } from "prom-client";
import { latencyBuckets } from "../core/latency-buckets.js";
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
  readonly provider: string;
  readonly status: string;
  readonly latencySeconds: number;
  readonly overheadSeconds: number;
  /** Streams only. */
  readonly timeToFirstTokenSeconds: number | null;
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly cachedTokens: number | null;
}

interface RequestSeries {
  readonly requests: CounterSeries;
  readonly duration: HistogramSeries;
  readonly timeToFirstToken: HistogramSeries;
  readonly overhead: HistogramSeries;
  readonly inputTokens: CounterSeries;
  readonly outputTokens: CounterSeries;
  readonly cachedTokens: CounterSeries;
}

/**
 * The gateway's Prometheus metrics, in a registry of their own (one per server, so tests can run several).
 * Labels are bounded by design: configured group names, provider names and status codes, never ids.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new SeriesCounter(
    "switchyard_requests_total",
    "Requests answered, by operation, model group, provider and HTTP status.",
  );
  readonly requestDuration = new SeriesHistogram(
    "switchyard_request_duration_seconds",
    "Time from request arrival to the last byte sent.",
    latencyBuckets,
  );
  readonly timeToFirstToken = new SeriesHistogram(
    "switchyard_time_to_first_token_seconds",
    "Time from request arrival to the first streamed event.",
    latencyBuckets,
  );
  readonly overhead = new SeriesHistogram(
    "switchyard_gateway_overhead_seconds",
    "Time spent in the gateway itself, excluding waiting on upstreams (to response headers for streams).",
    overheadBuckets,
  );
  readonly tokens = new SeriesCounter(
    "switchyard_tokens_total",
    "Tokens reported by upstreams, by direction (input, output, cached).",
  );
  readonly requestLogDropped = new Counter({
    name: "switchyard_request_log_dropped_total",
    help: "Request-log rows dropped because the write queue was full.",
    registers: [this.registry],
  });
  readonly #requestSeries = new Map<string, RequestSeries>();

  constructor() {
    for (const metric of [
      this.requests,
      this.requestDuration,
      this.timeToFirstToken,
      this.overhead,
      this.tokens,
    ]) {
      this.registry.registerMetric(metric.asPromMetric());
    }
    collectDefaultMetrics({ register: this.registry });
  }

  /** Records one finished request: one Map lookup, then plain arithmetic. */
  recordRequest(sample: RequestSample): void {
    const key = `${sample.operation}\u0000${sample.modelGroup}\u0000${sample.provider}\u0000${sample.status}`;
    let series = this.#requestSeries.get(key);
    if (series === undefined) {
      series = this.#createSeries(key, sample);
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
  }

  #createSeries(key: string, sample: RequestSample): RequestSeries {
    const group = { model_group: sample.modelGroup };
    const groupKey = sample.modelGroup;
    const tokenLabels = { ...group, provider: sample.provider };
    const tokenKey = `${sample.modelGroup}\u0000${sample.provider}`;
    const durationKey = `${sample.operation}\u0000${sample.modelGroup}`;
    return {
      requests: this.requests.series(key, {
        operation: sample.operation,
        ...tokenLabels,
        status: sample.status,
      }),
      duration: this.requestDuration.series(durationKey, { operation: sample.operation, ...group }),
      timeToFirstToken: this.timeToFirstToken.series(groupKey, group),
      overhead: this.overhead.series("", {}),
      inputTokens: this.tokens.series(`${tokenKey}\u0000input`, { ...tokenLabels, direction: "input" }),
      outputTokens: this.tokens.series(`${tokenKey}\u0000output`, { ...tokenLabels, direction: "output" }),
      cachedTokens: this.tokens.series(`${tokenKey}\u0000cached`, { ...tokenLabels, direction: "cached" }),
    };
  }
}
