import { describe, expect, it } from "vitest";
import { ConfigError, configFromEnvironment, parseConfigText } from "./load-config.js";

const withProvider = (provider: string) => `
providers:
${provider}
models:
  - name: claude
    targets:
      - provider: claude
`;

describe("ANTHROPIC_API_KEY without a config file", () => {
  it("routes every model to Anthropic when it is the only key, and sits behind OpenAI otherwise", () => {
    const alone = configFromEnvironment({ ANTHROPIC_API_KEY: "sk-ant-test" });
    expect(alone.providers).toMatchObject([
      {
        name: "anthropic",
        type: "anthropic",
        apiKey: "sk-ant-test",
        baseUrl: "https://api.anthropic.com/v1",
      },
    ]);
    expect(alone.models).toMatchObject([{ name: "*", targets: [{ provider: "anthropic" }] }]);
    const both = configFromEnvironment({ OPENAI_API_KEY: "sk-test", ANTHROPIC_API_KEY: "sk-ant-test" });
    expect(both.providers.map((provider) => provider.name)).toEqual(["openai", "anthropic"]);
    expect(both.models).toMatchObject([{ name: "*", targets: [{ provider: "openai" }] }]);
  });
});

describe("type: anthropic providers", () => {
  it("defaults the base URL to api.anthropic.com and takes an anthropicVersion", () => {
    const config = parseConfigText(
      withProvider(`  - name: claude
    type: anthropic
    apiKey: secret
    anthropicVersion: "2023-06-01"`),
      "test.yaml",
      {},
    );
    expect(config.providers[0]).toMatchObject({
      type: "anthropic",
      baseUrl: "https://api.anthropic.com/v1",
      apiKey: "secret",
      anthropicVersion: "2023-06-01",
    });
  });

  it("rejects anthropicVersion on other types and a version that is not a date", () => {
    const issuesOf = (text: string) => {
      try {
        parseConfigText(text, "test.yaml", {});
      } catch (error) {
        if (error instanceof ConfigError)
          return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
        throw error;
      }
      throw new Error("expected the config to be rejected");
    };
    expect(
      issuesOf(
        withProvider(`  - name: claude
    type: simulator
    anthropicVersion: "2023-06-01"`),
      ),
    ).toEqual(["providers[0].anthropicVersion: only allowed for type anthropic"]);
    expect(
      issuesOf(
        withProvider(`  - name: claude
    type: anthropic
    anthropicVersion: latest`),
      ),
    ).toEqual(["providers[0].anthropicVersion: a date like 2023-06-01"]);
  });
});
