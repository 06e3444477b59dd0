import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const overheadBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];

/**
 * The gateway's Prometheus metrics, in a registry of their own (one per server, so tests can run several).
 * Labels are bounded by design: configured group names, provider names and status codes, never ids.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "switchyard_requests_total",
    help: "Requests answered, by operation, model group, provider and HTTP status.",
    labelNames: ["operation", "model_group", "provider", "status"] as const,
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: "switchyard_request_duration_seconds",
    help: "Time from request arrival to the last byte sent.",
    labelNames: ["operation", "model_group"] as const,
    buckets: latencyBuckets,
    registers: [this.registry],
  });
  readonly timeToFirstToken = new Histogram({
    name: "switchyard_time_to_first_token_seconds",
    help: "Time from request arrival to the first streamed event.",
    labelNames: ["model_group"] as const,
    buckets: latencyBuckets,
    registers: [this.registry],
  });
  readonly overhead = new Histogram({
    name: "switchyard_gateway_overhead_seconds",
    help: "Time spent in the gateway itself, excluding waiting on upstreams (to response headers for streams).",
    buckets: overheadBuckets,
    registers: [this.registry],
  });
  readonly tokens = new Counter({
    name: "switchyard_tokens_total",
    help: "Tokens reported by upstreams, by direction (input, output, cached).",
    labelNames: ["model_group", "provider", "direction"] as const,
    registers: [this.registry],
  });
  readonly requestLogDropped = new Counter({
    name: "switchyard_request_log_dropped_total",
    help: "Request-log rows dropped because the write queue was full.",
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
