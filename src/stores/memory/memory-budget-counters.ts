import type {
  BudgetCounterStore,
  CounterCharge,
  ReserveOutcome,
} from "../../core/ports/budget-counter-store.js";

interface Counter {
  value: number;
  expiresAtMs: number;
}

/** Budget counters of one process. Every method finishes synchronously, so reservations are atomic. */
export class MemoryBudgetCounters implements BudgetCounterStore {
  readonly #counters = new Map<string, Counter>();
  readonly #claims = new Map<string, number>();
  readonly #now: () => number;
  #nextPruneMs = 0;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async reserve(charges: readonly CounterCharge[]): Promise<ReserveOutcome> {
    this.#prune();
    const totals = charges.map((charge) => this.#counters.get(charge.counterKey)?.value ?? 0);
    for (const [index, charge] of charges.entries()) {
      const total = totals[index] ?? 0;
      if (charge.limit !== null && total + charge.amount > charge.limit) {
        return { accepted: false, refusedIndex: index, totals };
      }
    }
    return { accepted: true, totals: charges.map((charge) => this.#add(charge)) };
  }

  async adjust(charges: readonly CounterCharge[]): Promise<readonly number[]> {
    return charges.map((charge) => this.#add(charge));
  }

  async seed(charges: readonly CounterCharge[]): Promise<void> {
    for (const charge of charges) {
      if (!this.#counters.has(charge.counterKey)) this.#add(charge);
    }
  }

  async claimOnce(name: string, expiresAtMs: number): Promise<boolean> {
    const held = this.#claims.get(name);
    if (held !== undefined && held > this.#now()) return false;
    this.#claims.set(name, expiresAtMs);
    return true;
  }

  async close(): Promise<void> {
    this.#counters.clear();
  }

  #add(charge: CounterCharge): number {
    let counter = this.#counters.get(charge.counterKey);
    if (counter === undefined) {
      counter = { value: 0, expiresAtMs: charge.expiresAtMs };
      this.#counters.set(charge.counterKey, counter);
    }
    counter.value += charge.amount;
    counter.expiresAtMs = Math.max(counter.expiresAtMs, charge.expiresAtMs);
    return counter.value;
  }

  /** Drops counters of past periods, at most once a minute. */
  #prune(): void {
    const now = this.#now();
    if (now < this.#nextPruneMs) return;
    this.#nextPruneMs = now + 60_000;
    for (const [key, counter] of this.#counters) if (counter.expiresAtMs <= now) this.#counters.delete(key);
    for (const [key, expiresAtMs] of this.#claims) if (expiresAtMs <= now) this.#claims.delete(key);
  }
}
