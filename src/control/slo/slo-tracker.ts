import type { SloConfig } from "../../core/gateway-config.js";
import type { SloBucketRow } from "../../core/ports/slo-bucket-store.js";
import type { SloRecorder, SloSample } from "../../core/slo-sample.js";
import { type BurnRateWindow, burnRateWindowNames, burnRateWindows } from "./burn-rate-alerts.js";
import { MinuteBuckets } from "./minute-buckets.js";

const minuteMs = 60_000;

/** An SLO's standing at one moment, over its whole window and the alert windows. */
export interface SloStatus {
  readonly slo: SloConfig;
  readonly good: number;
  readonly total: number;
  /** Share of good requests over the SLO window; 1 when there was no traffic. */
  readonly sli: number;
  /** Share of the window's error budget still unspent; negative once overspent. */
  readonly budgetRemaining: number;
  /** Error ratio divided by the budget ratio (1 − objective), per alert window. */
  readonly burnRates: Readonly<Record<BurnRateWindow, number>>;
}

interface TrackedSlo {
  readonly slo: SloConfig;
  readonly buckets: MinuteBuckets;
  readonly models: ReadonlySet<string> | undefined;
  readonly routes: ReadonlySet<string> | undefined;
  readonly teams: ReadonlySet<string> | undefined;
  /** What storage already has of recent minutes, so a persist writes only the difference. */
  readonly persisted: Map<number, { good: number; total: number }>;
}

/**
 * Counts good and total requests per SLO in one-minute buckets, in memory. `record` is on the request path: a
 * few set lookups and additions per SLO, no I/O. Storage is fed the differences (`takeUnpersisted`) and read back
 * at start-up (`load`), off the request path.
 */
export class SloTracker implements SloRecorder {
  readonly #tracked: readonly TrackedSlo[];
  readonly #clock: () => number;
  #persistedUpTo: number;

  constructor(slos: readonly SloConfig[], clock: () => number) {
    this.#clock = clock;
    this.#persistedUpTo = Math.floor(clock() / minuteMs);
    this.#tracked = slos.map((slo) => ({
      slo,
      buckets: new MinuteBuckets(Math.ceil(Math.max(slo.windowMs, burnRateWindows["3d"]) / minuteMs) + 1),
      models: setOrAll(slo.scope.models),
      routes: setOrAll(slo.scope.routes),
      teams: setOrAll(slo.scope.teams),
      persisted: new Map(),
    }));
  }

  record(sample: SloSample): void {
    const minute = Math.floor(this.#clock() / minuteMs);
    for (const tracked of this.#tracked) {
      if (tracked.models !== undefined && !tracked.models.has(sample.modelGroup)) continue;
      if (tracked.routes !== undefined && !tracked.routes.has(sample.operation)) continue;
      if (tracked.teams !== undefined && (sample.team === undefined || !tracked.teams.has(sample.team)))
        continue;
      const verdict = judge(tracked.slo, sample);
      if (verdict !== undefined) tracked.buckets.add(minute, verdict ? 1 : 0, 1);
    }
  }

  /** Adds stored counts (from earlier runs or other nodes); rows of unknown SLOs are ignored. */
  load(rows: readonly SloBucketRow[]): void {
    const byName = new Map(this.#tracked.map((tracked) => [tracked.slo.name, tracked]));
    for (const row of rows) {
      const tracked = byName.get(row.slo);
      if (tracked === undefined) continue;
      const minute = Math.floor(row.minuteStart / minuteMs);
      tracked.buckets.add(minute, row.good, row.total);
      if (minute >= this.#persistedUpTo) tracked.persisted.set(minute, tracked.buckets.at(minute));
    }
  }

  /** Counts recorded since the last call, as rows to add to storage; call `markPersisted` once they are written. */
  takeUnpersisted(): { rows: SloBucketRow[]; markPersisted: () => void } {
    const lastMinute = Math.floor(this.#clock() / minuteMs);
    const rows: SloBucketRow[] = [];
    const updates: (() => void)[] = [];
    for (const tracked of this.#tracked) {
      const from = Math.max(this.#persistedUpTo, lastMinute - tracked.buckets.capacity + 1);
      for (let minute = from; minute <= lastMinute; minute += 1) {
        const now = tracked.buckets.at(minute);
        const before = tracked.persisted.get(minute) ?? { good: 0, total: 0 };
        if (now.total === before.total && now.good === before.good) continue;
        rows.push({
          slo: tracked.slo.name,
          minuteStart: minute * minuteMs,
          good: now.good - before.good,
          total: now.total - before.total,
        });
        updates.push(() => tracked.persisted.set(minute, now));
      }
    }
    return {
      rows,
      markPersisted: () => {
        for (const update of updates) update();
        // The current minute may still grow; older ones are final.
        this.#persistedUpTo = Math.max(this.#persistedUpTo, lastMinute);
        for (const tracked of this.#tracked) {
          for (const minute of tracked.persisted.keys())
            if (minute < this.#persistedUpTo) tracked.persisted.delete(minute);
        }
      },
    };
  }

  statuses(): SloStatus[] {
    const lastMinute = Math.floor(this.#clock() / minuteMs);
    return this.#tracked.map(({ slo, buckets }) => {
      const window = buckets.sum(lastMinute - Math.round(slo.windowMs / minuteMs) + 1, lastMinute);
      const budgetRatio = 1 - slo.objective;
      const burnRates = {} as Record<BurnRateWindow, number>;
      for (const name of burnRateWindowNames) {
        const counts = buckets.sum(lastMinute - burnRateWindows[name] / minuteMs + 1, lastMinute);
        burnRates[name] = errorRatio(counts) / budgetRatio;
      }
      const errors = window.total - window.good;
      return {
        slo,
        good: window.good,
        total: window.total,
        sli: window.total === 0 ? 1 : window.good / window.total,
        budgetRemaining: window.total === 0 ? 1 : 1 - errors / (budgetRatio * window.total),
        burnRates,
      };
    });
  }
}

/** Whether the request was good for this SLO, or undefined when it does not count. */
function judge(slo: SloConfig, sample: SloSample): boolean | undefined {
  if (slo.latency === undefined) {
    // A client that hung up says nothing about the service.
    if (sample.status === 499) return undefined;
    return sample.status < 500;
  }
  if (slo.latency.measure === "ttft") {
    return sample.ttftMs === null ? undefined : sample.ttftMs <= slo.latency.thresholdMs;
  }
  return sample.latencyMs <= slo.latency.thresholdMs;
}

function errorRatio(counts: { good: number; total: number }): number {
  return counts.total === 0 ? 0 : (counts.total - counts.good) / counts.total;
}

function setOrAll(values: readonly string[]): ReadonlySet<string> | undefined {
  return values.length === 0 ? undefined : new Set(values);
}
