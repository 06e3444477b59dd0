import type { Metric } from "prom-client";

type Labels = Readonly<Record<string, string>>;

interface MetricValue {
  readonly value: number;
  readonly labels: Labels;
  readonly metricName?: string;
}

/**
 * A counter or histogram whose series are looked up once and then updated with plain arithmetic. prom-client
 * hashes the label object on every `inc`/`observe`, which measured at 15–30 µs per request for the gateway's
 * handful of updates; here the caller keeps the series object and the hashing happens at scrape time only.
 * Registered in a prom-client `Registry`, which formats it with the other metrics.
 */
abstract class SeriesMetric<TSeries> {
  readonly #series = new Map<string, { labels: Labels; series: TSeries }>();
  readonly aggregator = "sum";

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  /** The series for these labels; `key` must identify the label values (callers build it once). */
  series(key: string, labels: Labels): TSeries {
    let entry = this.#series.get(key);
    if (entry === undefined) {
      entry = { labels, series: this.createSeries() };
      this.#series.set(key, entry);
    }
    return entry.series;
  }

  protected abstract createSeries(): TSeries;
  protected abstract values(labels: Labels, series: TSeries): MetricValue[];
  abstract readonly type: "counter" | "histogram";

  /** The shape prom-client's registry reads when it renders the exposition text. */
  get() {
    const values: MetricValue[] = [];
    for (const { labels, series } of this.#series.values()) values.push(...this.values(labels, series));
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** prom-client's `Metric` type lists its own classes; its registry needs only `name` and `get()`. */
  asPromMetric(): Metric {
    return this as unknown as Metric;
  }
}

export interface CounterSeries {
  value: number;
}

export class SeriesCounter extends SeriesMetric<CounterSeries> {
  readonly type = "counter";

  protected createSeries(): CounterSeries {
    return { value: 0 };
  }

  protected values(labels: Labels, series: CounterSeries): MetricValue[] {
    return [{ value: series.value, labels }];
  }
}

export interface HistogramSeries {
  observe(value: number): void;
}

class Buckets implements HistogramSeries {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    const bounds = this.bounds;
    for (let index = 0; index < bounds.length; index += 1) {
      if (value <= (bounds[index] as number)) {
        this.counts[index] = (this.counts[index] as number) + 1;
        return;
      }
    }
  }
}

export class SeriesHistogram extends SeriesMetric<Buckets> {
  readonly type = "histogram";

  constructor(
    name: string,
    help: string,
    private readonly bounds: readonly number[],
  ) {
    super(name, help);
  }

  protected createSeries(): Buckets {
    return new Buckets(this.bounds);
  }

  protected values(labels: Labels, buckets: Buckets): MetricValue[] {
    const values: MetricValue[] = [];
    let cumulative = 0;
    buckets.bounds.forEach((bound, index) => {
      cumulative += buckets.counts[index] as number;
      values.push({
        metricName: `${this.name}_bucket`,
        labels: { ...labels, le: String(bound) },
        value: cumulative,
      });
    });
    values.push({
      metricName: `${this.name}_bucket`,
      labels: { ...labels, le: "+Inf" },
      value: buckets.count,
    });
    values.push({ metricName: `${this.name}_sum`, labels, value: buckets.sum });
    values.push({ metricName: `${this.name}_count`, labels, value: buckets.count });
    return values;
  }
}
