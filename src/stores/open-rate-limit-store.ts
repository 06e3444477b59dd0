import type { LimitsConfig } from "../core/gateway-config.js";
import type { RateLimitStore } from "../core/ports/rate-limit-store.js";
import { MemoryRateLimitStore } from "./memory/memory-rate-limit-store.js";
import { RedisRateLimitStore } from "./redis/redis-rate-limit-store.js";

/** Redis-backed counters when `limits.redis` is set (shared by every node), otherwise this process's memory. */
export function openRateLimitStore(config: LimitsConfig): Promise<RateLimitStore> {
  if (config.redis === undefined) return Promise.resolve(new MemoryRateLimitStore());
  return RedisRateLimitStore.connect(config.redis);
}
