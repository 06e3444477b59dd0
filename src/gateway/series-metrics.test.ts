import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { SeriesCounter, SeriesHistogram } from "./series-metrics.js";

describe("series metrics in a prom-client registry", () => {
  it("render counters and cumulative histogram buckets in the exposition format", async () => {
    const registry = new Registry();
    const counter = new SeriesCounter("demo_requests_total", "Requests.");
    const histogram = new SeriesHistogram("demo_seconds", "Durations.", [0.1, 1]);
    registry.registerMetric(counter.asPromMetric());
    registry.registerMetric(histogram.asPromMetric());

    counter.series("a", { route: "a" }).value += 2;
    counter.series("a", { route: "a" }).value += 1;
    counter.series("b", { route: 'b"quoted' }).value += 5;
    const durations = histogram.series("a", { route: "a" });
    for (const value of [0.05, 0.1, 0.5, 3]) durations.observe(value);

    const text = await registry.metrics();
    expect(text).toContain("# TYPE demo_requests_total counter");
    expect(text).toContain('demo_requests_total{route="a"} 3');
    expect(text).toContain('demo_requests_total{route="b\\"quoted"} 5');
    expect(text).toContain("# TYPE demo_seconds histogram");
    expect(text).toContain('demo_seconds_bucket{route="a",le="0.1"} 2');
    expect(text).toContain('demo_seconds_bucket{route="a",le="1"} 3');
    expect(text).toContain('demo_seconds_bucket{route="a",le="+Inf"} 4');
    expect(text).toContain('demo_seconds_sum{route="a"} 3.65');
    expect(text).toContain('demo_seconds_count{route="a"} 4');
  });
});
