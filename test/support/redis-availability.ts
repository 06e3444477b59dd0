import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

/** The Redis the tests use: the machine's own, or `SWITCHYARD_TEST_REDIS_URL`. */
export const redisTestUrl = process.env.SWITCHYARD_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const inCi = process.env.CI !== undefined && process.env.CI !== "";

/** Skip only when Redis is genuinely absent outside CI; under CI the suite must fail instead. */
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
    console.warn(
      `Skipping ${suite}: ${redisTestUrl} is unreachable (${unreachable}). Set CI to make this fail.`,
    );
  return { skip, unreachable };
}

/** A key prefix no other test run shares. */
export function uniqueRedisPrefix(): string {
  return `switchyard-test-${randomBytes(4).toString("hex")}:`;
}
