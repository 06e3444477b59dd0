/** How latency samples are smoothed and when they count as too old to trust. */
export interface LatencySettings {
  /** Weight in (0, 1] of the newest sample. */
  readonly smoothing: number;
  /** A target whose newest sample is older than this counts as unmeasured. */
  readonly staleAfterMs: number;
}

/**
 * Consecutive failures after which a target ranks behind healthy ones, until it succeeds again or its last
 * failure is older than the latency staleness window (then it gets another chance).
 */
export const unhealthyAfterFailures = 3;

/**
 * Live figures for one upstream target (`provider/model`), shared by every group that routes to it and kept
 * across config reloads: requests in flight, an EWMA of latency (time to the first byte for streams, to the
 * whole body otherwise) and the current run of failures. Plain fields: updated with arithmetic only.
 */
export class TargetStats {
  /** Requests currently being served by (or waiting on) this target. */
  inFlight = 0;
  /** Smoothed latency in ms; NaN until the first success. */
  latencyMs = Number.NaN;
  /** `performance.now()` of the newest latency sample. */
  sampledAt = Number.NEGATIVE_INFINITY;
  consecutiveFailures = 0;
  lastFailureAt = Number.NEGATIVE_INFINITY;

  constructor(readonly label: string) {}

  recordSuccess(durationMs: number, now: number, settings: LatencySettings): void {
    this.consecutiveFailures = 0;
    const fresh = now - this.sampledAt <= settings.staleAfterMs && !Number.isNaN(this.latencyMs);
    this.latencyMs = fresh ? this.latencyMs + settings.smoothing * (durationMs - this.latencyMs) : durationMs;
    this.sampledAt = now;
  }

  recordFailure(now: number): void {
    this.consecutiveFailures += 1;
    this.lastFailureAt = now;
  }

  isHealthy(now: number, settings: LatencySettings): boolean {
    return (
      this.consecutiveFailures < unhealthyAfterFailures || now - this.lastFailureAt > settings.staleAfterMs
    );
  }

  /** The smoothed latency, or undefined when unmeasured or stale (so the target gets tried again). */
  currentLatency(now: number, settings: LatencySettings): number | undefined {
    if (Number.isNaN(this.latencyMs) || now - this.sampledAt > settings.staleAfterMs) return undefined;
    return this.latencyMs;
  }
}

/** Caps the stats kept for client-chosen names behind a catch-all group. */
const maxTrackedTargets = 2000;

/** One `TargetStats` per target label for the life of the process (config reloads keep the figures). */
export class TargetStatsRegistry {
  readonly #byLabel = new Map<string, TargetStats>();

  get(label: string): TargetStats {
    let stats = this.#byLabel.get(label);
    if (stats === undefined) {
      stats = new TargetStats(label);
      // Beyond the cap a target still gets figures, just not shared ones: memory stays bounded.
      if (this.#byLabel.size < maxTrackedTargets) this.#byLabel.set(label, stats);
    }
    return stats;
  }

  /** Every tracked target, for the in-flight gauge. */
  all(): IterableIterator<TargetStats> {
    return this.#byLabel.values();
  }
}

/** What a request holds on a target while it is being served there; see `occupyTarget`. */
export interface TargetOccupant {
  busyTarget: TargetStats | undefined;
  readonly signal: { readonly aborted: boolean };
}

/**
 * Counts the request as in flight on `stats` (and no longer on the target it held before). A request whose
 * client already left is not counted: its completion may already have run.
 */
export function occupyTarget(occupant: TargetOccupant, stats: TargetStats): void {
  if (occupant.busyTarget === stats || occupant.signal.aborted) return;
  if (occupant.busyTarget !== undefined) occupant.busyTarget.inFlight -= 1;
  stats.inFlight += 1;
  occupant.busyTarget = stats;
}

/** Ends the request's in-flight count; called once the response is over. */
export function vacateTarget(occupant: TargetOccupant): void {
  if (occupant.busyTarget === undefined) return;
  occupant.busyTarget.inFlight -= 1;
  occupant.busyTarget = undefined;
}

/**
 * Feeds one attempt's outcome into the target's figures (the proxy calls this once per attempt). A transport
 * failure, 408, 429 or 5xx counts against the target; other 4xx are the caller's doing and count neither way.
 */
export function recordAttemptOutcome(
  stats: TargetStats,
  durationMs: number,
  status: number | null,
  errorCode: string | null,
  settings: LatencySettings,
): void {
  const now = performance.now();
  if (errorCode === null) stats.recordSuccess(durationMs, now, settings);
  else if (status === null || status >= 500 || status === 429 || status === 408) stats.recordFailure(now);
}
