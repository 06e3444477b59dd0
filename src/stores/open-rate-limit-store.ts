import type { LimitsConfig } from "../core/gateway-config.js";
import type { RateLimitStore } from "../core/ports/rate-limit-store.js";
import { MemoryRateLimitStore } from "./memory/memory-rate-limit-store.js";

/** Redis-backed counters when `limits.redis` is set (shared by every node), otherwise this process's memory. */
export async function openRateLimitStore(config: LimitsConfig): Promise<RateLimitStore> {
  if (config.redis === undefined) return new MemoryRateLimitStore();
  // Loaded only when used: the CLI's other commands and Redis-less deployments never load ioredis.
  const { RedisRateLimitStore } = await import("./redis/redis-rate-limit-store.js");
  return RedisRateLimitStore.connect(config.redis);
}
