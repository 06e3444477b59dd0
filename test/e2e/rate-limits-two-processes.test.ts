import { rmSync } from "node:fs";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assertBuilt,
  cleanEnvironment,
  type LongRunningCli,
  serveWorkDir,
  simulatorWorkDir,
} from "../support/cli-process.js";
import {
  deleteRedisKeys,
  redisAvailability,
  redisTestUrl,
  uniqueRedisPrefix,
} from "../support/redis-test-server.js";

type ApiError = InstanceType<typeof OpenAI.APIError>;

const { skip, unreachable } = await redisAvailability("rate limits across two serve processes");
const prefix = uniqueRedisPrefix("two-processes");
const masterKey = "sy-rate-limits-two-processes-master-key-012345";
const limit = 8;
const workDirs: string[] = [];
const servers: LongRunningCli[] = [];

describe.skipIf(skip)("an RPM limit shared by two `switchyard serve` processes on one Redis", () => {
  beforeAll(() => {
    if (unreachable !== undefined)
      throw new Error(`Redis at ${redisTestUrl} is unreachable (${unreachable})`);
    assertBuilt();
  });
  afterAll(async () => {
    for (const server of servers) await server.stop("SIGKILL");
    for (const workDir of workDirs) rmSync(workDir, { recursive: true, force: true });
    await deleteRedisKeys(prefix);
  });

  it("admits exactly N requests in the window, whichever process serves them", async () => {
    const urls: string[] = [];
    for (const name of ["a", "b"]) {
      const workDir = simulatorWorkDir(`switchyard-limits-${name}-`, [
        "limits:",
        `  redis: { url: "${redisTestUrl}", keyPrefix: "${prefix}", commandTimeoutMs: 20000 }`,
        "  rules:",
        `    - { name: shared-rpm, per: [key], requestsPerMinute: ${limit} }`,
      ]);
      workDirs.push(workDir);
      const served = await serveWorkDir(workDir, cleanEnvironment({ SWITCHYARD_MASTER_KEY: masterKey }));
      servers.push(served.server);
      urls.push(served.url);
    }
    const clients = urls.map((url) => new OpenAI({ baseURL: `${url}/v1`, apiKey: masterKey, maxRetries: 0 }));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 3 * limit }, (_unused, index) =>
        clients[index % 2]?.chat.completions.create({
          model: "assistant",
          messages: [{ role: "user", content: "hello" }],
        }),
      ),
    );
    const admitted = outcomes.filter((outcome) => outcome.status === "fulfilled");
    expect(admitted).toHaveLength(limit);
    for (const outcome of outcomes) {
      if (outcome.status === "fulfilled") continue;
      const error = outcome.reason as ApiError;
      expect(error.status).toBe(429);
      expect(error.code).toBe("GW_ERR_RATE_LIMIT_EXCEEDED");
    }
  }, 90_000);
});
