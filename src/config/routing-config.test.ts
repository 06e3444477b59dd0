import { describe, expect, it } from "vitest";
import { ConfigError, parseConfigText } from "./load-config.js";

const base = `
providers:
  - name: a
    type: simulator
  - name: b
    type: simulator
models:
  - name: chat
    strategy: weighted
    contextFallback: long
    targets:
      - provider: a
        weight: 3
        maxConcurrency: 4
        pricing: { inputPerMTok: 0.15, outputPerMTok: 0.6 }
        capabilities: { contextWindow: 8000, tools: true, vision: false }
      - provider: b
  - name: long
    targets:
      - provider: b
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

describe("routing config", () => {
  it("reads strategies, target routing fields, rules and backpressure; absent sections stay absent", () => {
    const config = parseConfigText(
      `${base}
routing:
  rules:
    - name: risky
      when: { headers: { x-switchyard-risk-tier: [high] }, features: { tools: true } }
      use: { group: long }
backpressure:
  maxConcurrent: 64
  maxEventLoopLagMs: 200
`,
      "t.yaml",
      {},
    );
    expect(config.models[0]).toMatchObject({ strategy: "weighted", contextFallback: "long" });
    expect(config.models[0]?.targets[0]).toMatchObject({
      weight: 3,
      maxConcurrency: 4,
      pricing: { inputPerMTok: 0.15, outputPerMTok: 0.6 },
      capabilities: { contextWindow: 8000, tools: true, vision: false },
    });
    expect(config.routing?.rules[0]?.when).toMatchObject({
      keys: [],
      headers: { "x-switchyard-risk-tier": ["high"] },
    });
    expect(config.routing).toMatchObject({ latencySmoothing: 0.3, latencyStaleAfterMs: 30_000 });
    expect(config.backpressure).toEqual({
      maxConcurrent: 64,
      maxQueue: 100,
      queueTimeoutMs: 10_000,
      maxEventLoopLagMs: 200,
      retryAfterSeconds: 1,
    });
    const plain = parseConfigText(base, "t.yaml", {});
    expect(plain.backpressure).toBeUndefined();
    expect(plain.models[1]?.strategy).toBeUndefined();
  });

  it("rejects unknown strategies and keys, and names of groups that do not exist", () => {
    const issues =
      issuesOf(`${base.replace("strategy: weighted", "strategy: fastest").replace("long\n    targets", "nowhere\n    targets")}
routing:
  rules:
    - name: r
      when: { teamz: [x] }
      use: { group: missing }
    - name: s
      when: {}
      use: {}
backpressure: { maxQueue: -1, extra: 1 }
`);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^models\[0\]\.strategy: /),
        expect.stringMatching(/^routing\.rules\[0\]\.when: .*teamz/),
        expect.stringMatching(/^routing\.rules\[1\]\.use: give a group, targets, or both/),
        expect.stringMatching(/^backpressure\.maxQueue: /),
        expect.stringMatching(/^backpressure: .*extra/),
      ]),
    );
  });

  it("checks the groups rules and context fallbacks name", () => {
    const issues = issuesOf(`${base.replace("contextFallback: long", "contextFallback: longer")}
routing:
  rules:
    - name: r
      when: {}
      use: { group: missing }
`);
    expect(issues).toEqual([
      'models[0].contextFallback: no model group named "longer" (known: chat, long)',
      'routing.rules[0].use.group: no model group named "missing" (known: chat, long)',
    ]);
  });
});
