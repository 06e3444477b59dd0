import { Redis } from "ioredis";
import {
  concurrentRetryAfterMs,
  type LimitAcquisition,
  type LimitCheck,
  type LimitCheckState,
  type LimitSettlement,
  type RateLimitStore,
} from "../../core/ports/rate-limit-store.js";

/**
 * Checks every counter of one request, then takes all of them or none: one script, one round trip, atomic
 * on the Redis server. Time is the server's, so every node shares the same windows.
 * KEYS: one per check. ARGV: count, lease id, lease ttl ms, then kind, limit, windowMs, cost per check.
 * Returns: refused index (1-based, 0 = admitted), retry-after ms, then remaining, reset ms, window start per check.
 */
const acquireScript = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local count = tonumber(ARGV[1])
local lease = ARGV[2]
local leaseTtl = tonumber(ARGV[3])
local used = {}
local starts = {}
local resets = {}
local refused = 0
local retryAfter = 0
for i = 1, count do
  local base = 3 + (i - 1) * 4
  local kind = ARGV[base + 1]
  local limit = tonumber(ARGV[base + 2])
  local windowMs = tonumber(ARGV[base + 3])
  local cost = tonumber(ARGV[base + 4])
  local key = KEYS[i]
  local taken = 0
  local start = 0
  local reset = 0
  if kind == 'concurrent' then
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
    taken = redis.call('ZCARD', key)
  else
    local fields = redis.call('HMGET', key, 'start', 'used')
    local previous = tonumber(fields[1])
    if previous ~= nil and now < previous + windowMs then
      start = previous
      taken = tonumber(fields[2]) or 0
    else
      start = now
    end
    reset = start + windowMs - now
  end
  used[i] = taken
  starts[i] = start
  resets[i] = reset
  if taken + cost > limit then
    local wait = reset
    if kind == 'concurrent' then wait = ${concurrentRetryAfterMs} end
    if refused == 0 or wait > retryAfter then
      refused = i
      retryAfter = wait
    end
  end
end
local result = {refused, retryAfter}
for i = 1, count do
  local base = 3 + (i - 1) * 4
  local kind = ARGV[base + 1]
  local limit = tonumber(ARGV[base + 2])
  local windowMs = tonumber(ARGV[base + 3])
  local cost = tonumber(ARGV[base + 4])
  local key = KEYS[i]
  local taken = used[i]
  if refused == 0 then
    taken = taken + cost
    if kind == 'concurrent' then
      redis.call('ZADD', key, now + leaseTtl, lease)
      redis.call('PEXPIRE', key, leaseTtl)
    elseif starts[i] == now and used[i] == 0 then
      redis.call('HSET', key, 'start', now, 'used', taken)
      redis.call('PEXPIRE', key, windowMs)
    else
      redis.call('HINCRBY', key, 'used', cost)
    end
  end
  local remaining = limit - taken
  if remaining < 0 then remaining = 0 end
  table.insert(result, remaining)
  table.insert(result, resets[i])
  table.insert(result, starts[i])
end
return result
`;

/**
 * Corrects token reservations (only within the window they were made in) and frees concurrency slots.
 * KEYS: one per settlement. ARGV: lease id, then kind, window start, delta per settlement.
 */
const settleScript = `
local lease = ARGV[1]
for i = 1, #KEYS do
  local base = 1 + (i - 1) * 3
  local kind = ARGV[base + 1]
  local key = KEYS[i]
  if kind == 'concurrent' then
    redis.call('ZREM', key, lease)
  else
    local start = redis.call('HGET', key, 'start')
    if start ~= false and start == ARGV[base + 2] then
      local used = redis.call('HINCRBY', key, 'used', tonumber(ARGV[base + 3]))
      if used < 0 then redis.call('HSET', key, 'used', 0) end
    end
  end
end
return 0
`;

export interface RedisRateLimitStoreOptions {
  readonly url: string;
  /** Prepended to every key, so several deployments can share one Redis. */
  readonly keyPrefix: string;
  /** A concurrency slot whose request never settled (its node died) frees itself after this long. */
  readonly leaseTtlMs: number;
  /** Longest wait for one Redis command; a slower answer fails the call. */
  readonly commandTimeoutMs: number;
}

type RedisWithScripts = Redis & {
  switchyardLimitAcquire(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<number[]>;
  switchyardLimitSettle(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
};

/** Rate-limit counters shared by every node that uses the same Redis (not Redis Cluster: keys span slots). */
export class RedisRateLimitStore implements RateLimitStore {
  readonly #redis: RedisWithScripts;
  readonly #options: RedisRateLimitStoreOptions;

  private constructor(redis: RedisWithScripts, options: RedisRateLimitStoreOptions) {
    this.#redis = redis;
    this.#options = options;
  }

  /** Connects first, so a wrong URL fails start-up instead of the first request. */
  static async connect(options: RedisRateLimitStoreOptions): Promise<RedisRateLimitStore> {
    const redis = new Redis(options.url, {
      lazyConnect: true,
      commandTimeout: options.commandTimeoutMs,
      maxRetriesPerRequest: 1,
      // While disconnected, fail at once rather than queue: a limiter must not stall requests.
      enableOfflineQueue: false,
    }) as RedisWithScripts;
    redis.defineCommand("switchyardLimitAcquire", { lua: acquireScript });
    redis.defineCommand("switchyardLimitSettle", { lua: settleScript });
    // ioredis reports connection errors here too; later ones surface as failed commands instead.
    let lastError: unknown;
    redis.on("error", (error: unknown) => {
      lastError = error;
    });
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      const reason = lastError ?? error;
      const shownUrl = options.url.replace(/\/\/([^:/@]*):[^@/]*@/, "//$1:***@");
      throw new Error(
        `limits.redis: cannot connect to ${shownUrl}: ${reason instanceof Error ? reason.message : String(reason)}`,
        { cause: reason },
      );
    }
    return new RedisRateLimitStore(redis, options);
  }

  async acquire(checks: readonly LimitCheck[], leaseId: string): Promise<LimitAcquisition> {
    const keys = checks.map((check) => this.#key(check.kind, check.bucket));
    const values: (string | number)[] = [checks.length, leaseId, this.#options.leaseTtlMs];
    for (const check of checks) values.push(check.kind, check.limit, check.windowMs, check.cost);
    const reply = await this.#redis.switchyardLimitAcquire(keys.length, ...keys, ...values);
    const states: LimitCheckState[] = checks.map((_check, index) => ({
      remaining: Number(reply[2 + index * 3]),
      resetMs: Number(reply[3 + index * 3]),
      windowStart: Number(reply[4 + index * 3]),
    }));
    const refused = Number(reply[0]);
    if (refused === 0) return { admitted: true, states };
    return { admitted: false, states, refusedIndex: refused - 1, retryAfterMs: Number(reply[1]) };
  }

  async settle(settlements: readonly LimitSettlement[], leaseId: string): Promise<void> {
    if (settlements.length === 0) return;
    const keys = settlements.map((settlement) => this.#key(settlement.kind, settlement.bucket));
    const values: (string | number)[] = [leaseId];
    for (const settlement of settlements) {
      if (settlement.kind === "concurrent") values.push("concurrent", 0, 0);
      else values.push("tokens", settlement.windowStart, settlement.delta);
    }
    await this.#redis.switchyardLimitSettle(keys.length, ...keys, ...values);
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }

  #key(kind: string, bucket: string): string {
    return `${this.#options.keyPrefix}${kind}:${bucket}`;
  }
}
