import { describe, expect, it } from "vitest";
import { defaultResilienceConfig } from "../core/gateway-config.js";
import { parseConfigText } from "./load-config.js";
import { resilienceConfig, resilienceSchema } from "./resilience-config-schema.js";

const minimal = `
providers: [{ name: sim, type: simulator }]
models: [{ name: m, targets: [{ provider: sim }] }]
`;

describe("resilience config", () => {
  it("defaults to the documented defaults when the section is absent", () => {
    expect(resilienceConfig(resilienceSchema.parse(undefined))).toEqual(defaultResilienceConfig);
    expect(parseConfigText(minimal, "test.yaml", {}).resilience).toEqual(defaultResilienceConfig);
  });

  it("reads retries, timeouts, breaker settings and per-group overrides", () => {
    const config = parseConfigText(
      `${minimal}
resilience:
  retries: { maxRetriesPerTarget: 2, maxRetryAfterMs: 1500 }
  timeouts: { firstTokenMs: 800 }
  circuitBreaker: { consecutiveFailures: 3, cooldownMs: 5000 }
  groups:
    m: { fallbackOn: [context-window], totalMs: 9000 }
`,
      "test.yaml",
      {},
    );
    expect(config.resilience.retries).toMatchObject({ maxRetriesPerTarget: 2, maxRetryAfterMs: 1500 });
    expect(config.resilience.timeouts).toEqual({ firstTokenMs: 800, totalMs: undefined });
    expect(config.resilience.circuitBreaker).toMatchObject({ consecutiveFailures: 3, cooldownMs: 5000 });
    expect(config.resilience.groups.m).toEqual({
      fallbackOn: ["context-window"],
      retryOn: undefined,
      maxRetriesPerTarget: undefined,
      firstTokenMs: undefined,
      totalMs: 9000,
    });
  });

  it("rejects unknown keys and unknown failure classes", () => {
    expect(() => parseConfigText(`${minimal}\nresilience: { retry: {} }\n`, "test.yaml", {})).toThrow(
      /resilience/,
    );
    expect(() =>
      parseConfigText(`${minimal}\nresilience: { fallbackOn: [oops] }\n`, "test.yaml", {}),
    ).toThrow(/fallbackOn/);
  });
});
