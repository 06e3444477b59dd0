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

function issuesOf(text: string) {
  try {
    parseConfigText(text, "test.yaml", {});
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

describe("safety config", () => {
  it("defaults to no policies and no tool rules", () => {
    expect(parseConfigText(base, "t.yaml", {}).safety).toEqual({ policies: [], tools: [] });
  });

  it("fills policy and scope defaults and freezes the section", () => {
    const config = parseConfigText(
      `${base}
safety:
  policies:
    - name: mask-pii
      stages: [input]
      detectors: [pii]
      action: mask
  tools:
    - allow: [search]
`,
      "t.yaml",
      {},
    );
    const anyone = { models: [], keys: [], teams: [], projects: [], riskTiers: [] };
    expect(config.safety.policies[0]).toEqual({
      name: "mask-pii",
      stages: ["input"],
      scope: anyone,
      detectors: ["pii"],
      types: [],
      minScore: 0.5,
      action: "mask",
      dryRun: false,
    });
    expect(config.safety.tools[0]).toEqual({ scope: anyone, allow: ["search"], validateArguments: false });
    expect(Object.isFrozen(config.safety.policies[0]?.scope)).toBe(true);
  });

  it.each([
    [
      "mask on output",
      "stages: [output]\n      detectors: [pii]\n      action: mask",
      "mask applies to input",
    ],
    [
      "redact on tool-call",
      "stages: [tool-call]\n      detectors: [pii]\n      action: redact",
      "redact does not apply",
    ],
    ["an unknown detector", "stages: [input]\n      detectors: [dlp]\n      action: flag", "detectors[0]"],
    [
      "an unknown key",
      "stages: [input]\n      detectors: [pii]\n      action: flag\n      when: always",
      "when",
    ],
    [
      "a lower-case type",
      "stages: [input]\n      detectors: [pii]\n      types: [email]\n      action: flag",
      "upper snake",
    ],
  ])("rejects %s", (_case, policy, expected) => {
    const issues = issuesOf(`${base}\nsafety:\n  policies:\n    - name: p\n      ${policy}\n`);
    expect(issues.join("\n")).toContain(expected);
  });

  it("rejects duplicate policy names", () => {
    const policy = "    - name: p\n      stages: [input]\n      detectors: [pii]\n      action: log\n";
    expect(issuesOf(`${base}\nsafety:\n  policies:\n${policy}${policy}`)).toEqual([
      "safety.policies[1].name: duplicate name",
    ]);
  });
  it("takes a moderation provider only when it names an OpenAI-dialect provider", () => {
    const withModerator = `
providers:
  - { name: sim, type: simulator }
  - { name: mod, type: openai-compatible, baseUrl: "http://127.0.0.1:9/v1" }
models:
  - { name: m, targets: [{ provider: sim }] }
safety:
  moderation: { provider: mod }
`;
    const config = parseConfigText(withModerator, "t.yaml", {});
    expect(config.safety.moderation).toEqual({ provider: "mod" });
    expect(issuesOf(`${base}safety:\n  moderation: { provider: sim }\n`)).toEqual([
      "safety.moderation.provider: must name an openai or openai-compatible provider (known: sim)",
    ]);
    expect(issuesOf(`${base}safety:\n  moderation: { provider: sim, extra: 1 }\n`)).toEqual(
      expect.arrayContaining([expect.stringContaining("extra")]),
    );
  });
});
