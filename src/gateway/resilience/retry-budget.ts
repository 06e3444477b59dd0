import type { RetryBudgetSettings } from "../../core/gateway-config.js";

const bucketCount = 10;

/**
 * A sliding-window retry budget (as in Finagle and Linkerd): retries may not exceed `ratio` of the requests seen
 * in the window, plus `minRetriesPerSecond`, so a degraded provider sees at most that much extra load. The window
 * is ten buckets; recording is two array writes, never an allocation.
 */
export class RetryBudget {
  readonly #settings: RetryBudgetSettings;
  readonly #bucketMs: number;
  readonly #requests = new Array<number>(bucketCount).fill(0);
  readonly #retries = new Array<number>(bucketCount).fill(0);
  readonly #bucketStart = new Array<number>(bucketCount).fill(-1);
  readonly #now: () => number;

  constructor(settings: RetryBudgetSettings, now: () => number = () => performance.now()) {
    this.#settings = settings;
    this.#bucketMs = settings.windowMs / bucketCount;
    this.#now = now;
  }

  recordRequest(): void {
    const index = this.#bucket() % bucketCount;
    this.#requests[index] = (this.#requests[index] ?? 0) + 1;
  }

  /** Takes one retry from the budget when it has one; false means the retry must not happen. */
  tryRetry(): boolean {
    const slot = this.#bucket();
    let requests = 0;
    let retries = 0;
    for (let bucket = 0; bucket < bucketCount; bucket += 1) {
      if ((this.#bucketStart[bucket] ?? -1) <= slot - bucketCount) continue;
      requests += this.#requests[bucket] ?? 0;
      retries += this.#retries[bucket] ?? 0;
    }
    const allowed =
      this.#settings.ratio * requests + (this.#settings.minRetriesPerSecond * this.#settings.windowMs) / 1000;
    if (retries + 1 > allowed) return false;
    const index = slot % bucketCount;
    this.#retries[index] = (this.#retries[index] ?? 0) + 1;
    return true;
  }

  /** The current time slot; its bucket (slot modulo the count) is cleared when the slot is new. */
  #bucket(): number {
    const slot = Math.floor(this.#now() / this.#bucketMs);
    const index = slot % bucketCount;
    if (this.#bucketStart[index] !== slot) {
      this.#bucketStart[index] = slot;
      this.#requests[index] = 0;
      this.#retries[index] = 0;
    }
    return slot;
  }
}
