import { describe, expect, it } from "vitest";
import { ConfigError, parseConfigText } from "./load-config.js";

const base = `
providers:
  - name: sim
    type: simulator
models:
  - name: m
    targets:
      - provider: sim
`;

function issuesOf(text: string): string[] {
  try {
    parseConfigText(text, "test.yaml", {});
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

describe("limits config", () => {
  it("defaults to no rules, counters in memory, and a 4096-token output reservation", () => {
    expect(parseConfigText(base, "t.yaml", {}).limits).toEqual({
      rules: [],
      defaultMaxOutputTokens: 4096,
      onStoreError: "allow",
    });
  });

  it("fills rule and Redis defaults and freezes the section", () => {
    const config = parseConfigText(
      `${base}
limits:
  redis: { url: "redis://127.0.0.1:6379" }
  rules:
    - { name: per-user, per: [user, model], requestsPerMinute: 60, tokensPerMinute: 10000 }
`,
      "t.yaml",
      {},
    );
    expect(config.limits.redis).toEqual({
      url: "redis://127.0.0.1:6379",
      keyPrefix: "switchyard:limits:",
      commandTimeoutMs: 1000,
      leaseTtlMs: 600_000,
    });
    expect(config.limits.rules[0]).toEqual({
      name: "per-user",
      per: ["user", "model"],
      scope: { keys: [], teams: [], projects: [], models: [] },
      requestsPerMinute: 60,
      tokensPerMinute: 10_000,
    });
    expect(Object.isFrozen(config.limits.rules[0])).toBe(true);
  });

  it("rejects rules without a limit, unknown dimensions, duplicates, unknown keys and non-Redis URLs", () => {
    expect(
      issuesOf(`${base}
limits:
  redis: { url: "http://cache:6379" }
  rules:
    - { name: a, per: [key] }
    - { name: a, per: [key, key, region], requestsPerMinute: 1, burst: 2 }
`),
    ).toEqual([
      "limits.rules[0]: set at least one of requestsPerMinute, tokensPerMinute, concurrentRequests",
      expect.stringMatching(/^limits\.rules\[1\]\.per\[2\]: /),
      expect.stringMatching(/^limits\.rules\[1\]: Unrecognized key: "burst"/),
      "limits.redis.url: a redis:// or rediss:// URL",
    ]);
  });

  it("rejects a duplicate rule name and a dimension listed twice", () => {
    expect(
      issuesOf(`${base}
limits:
  rules:
    - { name: a, per: [key, key], requestsPerMinute: 1 }
    - { name: a, concurrentRequests: 1 }
`),
    ).toEqual(["limits.rules[0].per: a dimension is listed twice", "limits.rules[1].name: duplicate name"]);
  });
});
