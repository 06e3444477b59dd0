import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

/** The Redis the tests use: the machine's own, or `SWITCHYARD_TEST_REDIS_URL`. */
export const redisTestUrl = process.env.SWITCHYARD_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const inCi = process.env.CI !== undefined && process.env.CI !== "";

/** A key prefix no other test run uses, so parallel runs on one Redis never share counters. */
export function uniqueRedisPrefix(label: string): string {
  return `switchyard-test:${label}:${randomBytes(6).toString("hex")}:`;
}

/**
 * Skip only when Redis is genuinely absent on a developer's machine; under CI an absent Redis must fail
 * (the suite's beforeAll throws `unreachable`).
 */
export async function redisAvailability(
  suite: string,
): Promise<{ skip: boolean; unreachable: string | undefined }> {
  const redis = new Redis(redisTestUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000 });
  redis.on("error", () => undefined);
  let unreachable: string | undefined;
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    unreachable = error instanceof Error ? error.message : String(error);
  } finally {
    redis.disconnect();
  }
  const skip = unreachable !== undefined && !inCi;
  if (skip)
    console.warn(`Skipping ${suite}: ${redisTestUrl} is unreachable (${unreachable}). Set CI to fail.`);
  return { skip, unreachable };
}

/** Deletes every key under `prefix` (test clean-up). */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(redisTestUrl);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
