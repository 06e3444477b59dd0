import { beforeAll, describe } from "vitest";
import { redisAvailability, redisTestUrl, uniqueRedisPrefix } from "../../test/support/redis-availability.js";
import { describeBudgetCounterStoreContract } from "./budget-counter-store-contract.js";
import { MemoryBudgetCounters } from "./memory/memory-budget-counters.js";
import { RedisBudgetCounters } from "./redis/redis-budget-counters.js";

describeBudgetCounterStoreContract("memory", () => new MemoryBudgetCounters());

const { skip, unreachable } = await redisAvailability("Redis budget counter tests");

describe.skipIf(skip)(`redis at ${redisTestUrl}`, () => {
  beforeAll(() => {
    if (unreachable !== undefined) throw new Error(`Redis is unreachable (${unreachable}) and CI is set`);
  });
  describeBudgetCounterStoreContract(
    "redis",
    () => new RedisBudgetCounters({ url: redisTestUrl, keyPrefix: uniqueRedisPrefix() }),
  );
});
