/** Good and total counts per minute in a ring covering `capacity` minutes; older minutes are overwritten. */
export class MinuteBuckets {
  readonly #minutes: Float64Array;
  readonly #good: Float64Array;
  readonly #total: Float64Array;

  constructor(readonly capacity: number) {
    this.#minutes = new Float64Array(capacity).fill(-1);
    this.#good = new Float64Array(capacity);
    this.#total = new Float64Array(capacity);
  }

  /** `minute` is an epoch minute (epoch ms / 60 000, floored). */
  add(minute: number, good: number, total: number): void {
    const index = minute % this.capacity;
    if (this.#minutes[index] !== minute) {
      // A minute older than the ring holds would evict a newer one: drop it.
      if ((this.#minutes[index] as number) > minute) return;
      this.#minutes[index] = minute;
      this.#good[index] = 0;
      this.#total[index] = 0;
    }
    this.#good[index] = (this.#good[index] as number) + good;
    this.#total[index] = (this.#total[index] as number) + total;
  }

  /** The counts of one minute (zeros when it is not held). */
  at(minute: number): { good: number; total: number } {
    const index = minute % this.capacity;
    if (this.#minutes[index] !== minute) return { good: 0, total: 0 };
    return { good: this.#good[index] as number, total: this.#total[index] as number };
  }

  /** Sums the minutes in `[firstMinute, lastMinute]`; only the last `capacity` minutes are held. */
  sum(firstMinute: number, lastMinute: number): { good: number; total: number } {
    let good = 0;
    let total = 0;
    const from = Math.max(firstMinute, lastMinute - this.capacity + 1);
    for (let minute = from; minute <= lastMinute; minute += 1) {
      const index = minute % this.capacity;
      if (this.#minutes[index] !== minute) continue;
      good += this.#good[index] as number;
      total += this.#total[index] as number;
    }
    return { good, total };
  }
}
