import {
  concurrentRetryAfterMs,
  type LimitAcquisition,
  type LimitCheck,
  type LimitCheckState,
  type LimitSettlement,
  type RateLimitStore,
} from "../../core/ports/rate-limit-store.js";

interface Window {
  start: number;
  used: number;
  readonly endsAt: number;
}

export interface MemoryRateLimitStoreOptions {
  /** Epoch milliseconds; injectable for tests. */
  readonly now?: () => number;
  /** How often windows that have ended are dropped (they are ignored once ended either way). */
  readonly sweepIntervalMs?: number;
}

/**
 * Rate-limit counters for one node. Every call runs synchronously inside one turn of the event loop, so an
 * acquisition is atomic without locks.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #windows = new Map<string, Window>();
  readonly #inFlight = new Map<string, Set<string>>();
  readonly #now: () => number;
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: MemoryRateLimitStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#sweeper = setInterval(() => this.#sweep(), options.sweepIntervalMs ?? 60_000);
    this.#sweeper.unref();
  }

  acquire(checks: readonly LimitCheck[], leaseId: string): Promise<LimitAcquisition> {
    return Promise.resolve(this.acquireNow(checks, leaseId));
  }

  acquireNow(checks: readonly LimitCheck[], leaseId: string): LimitAcquisition {
    const now = this.#now();
    const used: number[] = [];
    const states: LimitCheckState[] = [];
    let refusedIndex = -1;
    let retryAfterMs = 0;
    for (const [index, check] of checks.entries()) {
      let taken: number;
      let resetMs = 0;
      let windowStart = 0;
      if (check.kind === "concurrent") {
        taken = this.#inFlight.get(check.bucket)?.size ?? 0;
      } else {
        const window = this.#currentWindow(windowKey(check), now);
        taken = window?.used ?? 0;
        windowStart = window?.start ?? now;
        resetMs = window === undefined ? check.windowMs : window.endsAt - now;
      }
      used.push(taken);
      states.push({ remaining: Math.max(0, check.limit - taken), resetMs, windowStart });
      if (taken + check.cost > check.limit) {
        const wait = check.kind === "concurrent" ? concurrentRetryAfterMs : resetMs;
        if (refusedIndex === -1 || wait > retryAfterMs) {
          refusedIndex = index;
          retryAfterMs = wait;
        }
      }
    }
    if (refusedIndex !== -1) return { admitted: false, states, refusedIndex, retryAfterMs };
    for (const [index, check] of checks.entries()) {
      const state = states[index] as LimitCheckState;
      const taken = (used[index] as number) + check.cost;
      if (check.kind === "concurrent") {
        const leases = this.#inFlight.get(check.bucket) ?? new Set<string>();
        leases.add(leaseId);
        this.#inFlight.set(check.bucket, leases);
      } else {
        const key = windowKey(check);
        const window = this.#currentWindow(key, now);
        if (window === undefined) {
          this.#windows.set(key, { start: now, used: taken, endsAt: now + check.windowMs });
        } else {
          window.used = taken;
        }
      }
      states[index] = { ...state, remaining: Math.max(0, check.limit - taken) };
    }
    return { admitted: true, states };
  }

  settle(settlements: readonly LimitSettlement[], leaseId: string): Promise<void> {
    const now = this.#now();
    for (const settlement of settlements) {
      if (settlement.kind === "concurrent") {
        const leases = this.#inFlight.get(settlement.bucket);
        leases?.delete(leaseId);
        if (leases?.size === 0) this.#inFlight.delete(settlement.bucket);
        continue;
      }
      const window = this.#currentWindow(`tokens\u0000${settlement.bucket}`, now);
      if (window !== undefined && window.start === settlement.windowStart) {
        window.used = Math.max(0, window.used + settlement.delta);
      }
    }
    return Promise.resolve();
  }

  close(): Promise<void> {
    clearInterval(this.#sweeper);
    return Promise.resolve();
  }

  #currentWindow(key: string, now: number): Window | undefined {
    const window = this.#windows.get(key);
    return window !== undefined && now < window.endsAt ? window : undefined;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [key, window] of this.#windows) if (now >= window.endsAt) this.#windows.delete(key);
  }
}

function windowKey(check: LimitCheck): string {
  return `${check.kind}\u0000${check.bucket}`;
}
