import { Redis } from "ioredis";
import type {
  BudgetCounterStore,
  CounterCharge,
  ReserveOutcome,
} from "../../core/ports/budget-counter-store.js";

/**
 * Checks every charge against its limit, then adds all or none: one script, one round trip, atomic on the
 * server. ARGV holds (amount, limit or -1, expire-at ms) per key. Returns {accepted 1|0, refused index, totals…}.
 */
const reserveScript = `
local totals = {}
for i, key in ipairs(KEYS) do
  local current = tonumber(redis.call('GET', key) or '0')
  local amount = tonumber(ARGV[i * 3 - 2])
  local limit = tonumber(ARGV[i * 3 - 1])
  totals[i] = current
  if limit >= 0 and current + amount > limit then
    local refused = {0, i - 1}
    for j = 1, #KEYS do refused[j + 2] = tostring(tonumber(redis.call('GET', KEYS[j]) or '0')) end
    return refused
  end
end
local accepted = {1, -1}
for i, key in ipairs(KEYS) do
  accepted[i + 2] = tostring(redis.call('INCRBY', key, ARGV[i * 3 - 2]))
  redis.call('PEXPIREAT', key, ARGV[i * 3])
end
return accepted
`;

const adjustScript = `
local totals = {}
for i, key in ipairs(KEYS) do
  totals[i] = tostring(redis.call('INCRBY', key, ARGV[i * 2 - 1]))
  redis.call('PEXPIREAT', key, ARGV[i * 2])
end
return totals
`;

interface BudgetCommands {
  budgetReserve(keyCount: number, ...keysAndArgs: (string | number)[]): Promise<(string | number)[]>;
  budgetAdjust(keyCount: number, ...keysAndArgs: (string | number)[]): Promise<string[]>;
}

export interface RedisBudgetCountersOptions {
  readonly url: string;
  /**
   * Prepended to every key. It carries a `{…}` hash tag so that one reservation's keys share a Redis Cluster
   * slot (a script may only touch keys of one slot).
   */
  readonly keyPrefix: string;
}

/** Budget counters shared by every node through Redis. */
export class RedisBudgetCounters implements BudgetCounterStore {
  readonly #redis: Redis & BudgetCommands;
  readonly #prefix: string;

  constructor(options: RedisBudgetCountersOptions) {
    const redis = new Redis(options.url, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 5000,
    });
    redis.defineCommand("budgetReserve", { lua: reserveScript });
    redis.defineCommand("budgetAdjust", { lua: adjustScript });
    // Errors reach the callers of each command; this only keeps ioredis from printing them.
    redis.on("error", () => undefined);
    this.#redis = redis as Redis & BudgetCommands;
    this.#prefix = `${options.keyPrefix}{budget}:`;
  }

  async reserve(charges: readonly CounterCharge[]): Promise<ReserveOutcome> {
    const keysAndArgs: (string | number)[] = charges.map((charge) => this.#prefix + charge.counterKey);
    for (const charge of charges) {
      keysAndArgs.push(
        Math.round(charge.amount),
        charge.limit === null ? -1 : charge.limit,
        charge.expiresAtMs,
      );
    }
    const [accepted, refusedIndex, ...totals] = await this.#redis.budgetReserve(
      charges.length,
      ...keysAndArgs,
    );
    const numbers = totals.map(Number);
    return Number(accepted) === 1
      ? { accepted: true, totals: numbers }
      : { accepted: false, refusedIndex: Number(refusedIndex), totals: numbers };
  }

  async adjust(charges: readonly CounterCharge[]): Promise<readonly number[]> {
    if (charges.length === 0) return [];
    const keysAndArgs: (string | number)[] = charges.map((charge) => this.#prefix + charge.counterKey);
    for (const charge of charges) keysAndArgs.push(Math.round(charge.amount), charge.expiresAtMs);
    return (await this.#redis.budgetAdjust(charges.length, ...keysAndArgs)).map(Number);
  }

  async seed(charges: readonly CounterCharge[]): Promise<void> {
    if (charges.length === 0) return;
    const pipeline = this.#redis.pipeline();
    for (const charge of charges) {
      pipeline.set(
        this.#prefix + charge.counterKey,
        Math.round(charge.amount),
        "PXAT",
        charge.expiresAtMs,
        "NX",
      );
    }
    await pipeline.exec();
  }

  async claimOnce(name: string, expiresAtMs: number): Promise<boolean> {
    const result = await this.#redis.set(`${this.#prefix}claim:${name}`, "1", "PXAT", expiresAtMs, "NX");
    return result === "OK";
  }

  async close(): Promise<void> {
    this.#redis.disconnect();
  }
}
