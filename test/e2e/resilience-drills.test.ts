import { describe, expect, it } from "vitest";
import { runDrill } from "../../src/cli/drill/run-drill.js";
import { parseConfigText } from "../../src/config/load-config.js";

/** Two simulator targets, no latency; timeouts short enough that stalls and the latency spike fall back. */
const drillYaml = `
providers:
  - name: primary
    type: simulator
    timeouts: { headersMs: 30000, idleMs: 2000 }
    simulator: { latencyMs: 0, tokensPerSecond: 0 }
  - name: backup
    type: simulator
    simulator: { latencyMs: 0, tokensPerSecond: 0 }
models:
  - name: chat
    targets:
      - provider: primary
        model: sim-small
      - provider: backup
        model: sim-small
resilience:
  retries: { maxRetriesPerTarget: 1, baseDelayMs: 5, maxDelayMs: 50, maxRetryAfterMs: 200 }
  timeouts: { firstTokenMs: 1500 }
  streamHoldBackMs: 3000
  circuitBreaker: { consecutiveFailures: 5, cooldownMs: 600000 }
`;

const config = parseConfigText(drillYaml, "drill.yaml", {});
const requests = 2_000;
const concurrency = 50;
/** 2,000 requests take seconds alone and much longer on a loaded shared machine; the figures do not depend on it. */
const drillTimeoutMs = 300_000;

describe("failure drills, 2,000 requests each against two simulator targets", () => {
  it(
    "primary-faults: 30% pre-first-byte faults on the primary still give ≥ 99.9% client success",
    async () => {
      const result = await runDrill({ config, scenario: "primary-faults", requests, concurrency });
      expect(result.requests).toBe(requests);
      expect(result.successRate).toBeGreaterThanOrEqual(0.999);
      expect(result.unsignalledFailures).toBe(0);
      expect(result.primaryFailedAttempts).toBeGreaterThan(0);
      expect(result.fallbacks).toBeGreaterThan(0);
      expect(result.retries).toBeLessThanOrEqual(result.retryBudgetAllows);
      expect(result.passed).toBe(true);
    },
    drillTimeoutMs,
  );

  it(
    "mid-stream-cuts: every cut stream is signalled as an error, none ends cleanly",
    async () => {
      const result = await runDrill({ config, scenario: "mid-stream-cuts", requests, concurrency });
      expect(result.streamed).toBe(requests);
      expect(result.primaryServed).toBeGreaterThan(0);
      expect(result.primaryCleanStreamEndings).toBe(0);
      expect(result.unsignalledFailures).toBe(0);
      expect(result.signalledFailures).toBeGreaterThanOrEqual(result.primaryServed);
      expect(result.breakerOpened).toBeGreaterThan(0);
      expect(result.passed).toBe(true);
    },
    drillTimeoutMs,
  );

  it(
    "primary-down: the breaker opens and traffic moves within the configured failures",
    async () => {
      const result = await runDrill({ config, scenario: "primary-down", requests, concurrency });
      expect(result.successRate).toBeGreaterThanOrEqual(0.999);
      expect(result.breakerOpened).toBeGreaterThan(0);
      expect(result.breakerStateAtEnd).toBe("open");
      expect(result.primaryFailedAttempts).toBeLessThanOrEqual(5 + concurrency);
      expect(result.unsignalledFailures).toBe(0);
      expect(result.passed).toBe(true);
    },
    drillTimeoutMs,
  );

  it(
    "latency-spike: a primary slower than firstTokenMs is left for the backup",
    async () => {
      const result = await runDrill({ config, scenario: "latency-spike", requests, concurrency });
      expect(result.successRate).toBeGreaterThanOrEqual(0.999);
      expect(result.breakerOpened).toBeGreaterThan(0);
      expect(result.unsignalledFailures).toBe(0);
      expect(result.passed).toBe(true);
    },
    drillTimeoutMs,
  );
});
