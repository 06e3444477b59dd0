/**
 * Bounds (seconds) of the gateway's latency and TTFT histograms. Shared vocabulary: the metrics use them, and
 * Prometheus SLO rules need a latency threshold to be one of them.
 */
export const latencyBuckets: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120,
];
