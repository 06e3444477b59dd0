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
  - name: cheap
    targets:
      - provider: sim
`;

function issuesOf(text: string) {
  try {
    parseConfigText(text, "test.yaml", {});
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

describe("cost config", () => {
  it("defaults to the shipped prices, no budgets and estimation on", () => {
    expect(parseConfigText(base, "t.yaml", {}).cost).toEqual({
      prices: {},
      defaultMaxOutputTokens: 4096,
      estimateMissingUsage: true,
      unpricedModels: "block",
      timezone: "UTC",
      budgets: [],
    });
  });

  it("fills budget defaults and freezes the section", () => {
    const config = parseConfigText(
      `${base}
cost:
  prices: { my-model: { input: 1, output: 2 } }
  budgets:
    - { name: b, scope: team, period: week, limitUsd: 5, timezone: Asia/Tokyo, downgrade: { model: cheap } }
`,
      "t.yaml",
      {},
    );
    expect(config.cost.budgets[0]).toEqual({
      name: "b",
      scope: "team",
      match: [],
      period: "week",
      limitUsd: 5,
      timezone: "Asia/Tokyo",
      hard: true,
      thresholds: [0.5, 0.8, 1],
      downgrade: { model: "cheap", atFraction: 0.9 },
    });
    expect(Object.isFrozen(config.cost.budgets[0])).toBe(true);
  });

  it("reports unknown keys, bad time zones, duplicate names and unknown downgrade models", () => {
    const issues = issuesOf(`${base}
cost:
  budgets:
    - { name: a, scope: team, period: day, limitUsd: 1, timezone: Mars/Olympus }
    - { name: a, scope: org, period: day, limitUsd: 1 }
    - { name: c, scope: key, period: day, limitUsd: 1, downgrade: { model: nope } }
  prices: { x: { input: 1, output: 1, typo: 2 } }
`);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^cost\.budgets\[0\]\.timezone: an IANA time zone/),
        expect.stringMatching(/^cost\.budgets\[1\]\.scope:/),
        expect.stringMatching(/^cost\.prices\.x: .*typo/),
      ]),
    );
    expect(
      issuesOf(`${base}
cost:
  budgets:
    - { name: a, scope: team, period: day, limitUsd: 1 }
    - { name: a, scope: key, period: day, limitUsd: 1, downgrade: { model: nope } }
`),
    ).toEqual([
      "cost.budgets[1].name: duplicate name",
      'cost.budgets[1].downgrade.model: no model group named "nope" (known: m, cheap)',
    ]);
  });
});
