import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  deleteRedisKeys,
  redisAvailability,
  redisTestUrl,
  uniqueRedisPrefix,
} from "../../../test/support/redis-test-server.js";
import { describeRateLimitStoreContract } from "../rate-limit-store-contract.js";
import { RedisRateLimitStore } from "./redis-rate-limit-store.js";

const { skip, unreachable } = await redisAvailability("Redis rate-limit store tests");
const prefix = uniqueRedisPrefix("rate-limit-store");
const opened: RedisRateLimitStore[] = [];
let stores = 0;

describe.skipIf(skip)(`Redis rate-limit store at ${redisTestUrl}`, () => {
  beforeAll(() => {
    if (unreachable !== undefined)
      throw new Error(`Redis at ${redisTestUrl} is unreachable (${unreachable})`);
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  afterAll(() => deleteRedisKeys(prefix));

  describeRateLimitStoreContract(async () => {
    stores += 1;
    const store = await RedisRateLimitStore.connect({
      url: redisTestUrl,
      keyPrefix: `${prefix}${stores}:`,
      leaseTtlMs: 600_000,
      commandTimeoutMs: 5000,
    });
    opened.push(store);
    return store;
  });
});

describe("Redis rate-limit store start-up", () => {
  it("fails to connect, with the reason, when nothing listens at the URL", async () => {
    await expect(
      RedisRateLimitStore.connect({
        url: "redis://:hunter2@127.0.0.1:1",
        keyPrefix: "unused:",
        leaseTtlMs: 1000,
        commandTimeoutMs: 1000,
      }),
    ).rejects.toThrow(/^limits\.redis: cannot connect to redis:\/\/:\*\*\*@127\.0\.0\.1:1: .*ECONNREFUSED/);
  });
});
