import { describe, expect, it } from "vitest";
import { ConfigError, configFromEnvironment, parseConfigText } from "./load-config.js";

const withProvider = (provider: string) => `
providers:
${provider}
models:
  - name: gemini
    targets:
      - provider: gem
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

describe("GEMINI_API_KEY without a config file", () => {
  it("routes every model to Gemini when it is the only key, and sits behind the others otherwise", () => {
    const alone = configFromEnvironment({ GEMINI_API_KEY: "AIza-test" });
    expect(alone.providers).toMatchObject([
      {
        name: "gemini",
        type: "gemini",
        apiKey: "AIza-test",
        baseUrl: "https://generativelanguage.googleapis.com/v1beta",
      },
    ]);
    expect(alone.models).toMatchObject([{ name: "*", targets: [{ provider: "gemini" }] }]);
    const both = configFromEnvironment({ ANTHROPIC_API_KEY: "sk-ant-test", GEMINI_API_KEY: "AIza-test" });
    expect(both.providers.map((provider) => provider.name)).toEqual(["anthropic", "gemini"]);
    expect(both.models).toMatchObject([{ name: "*", targets: [{ provider: "anthropic" }] }]);
    const elsewhere = configFromEnvironment({
      GEMINI_API_KEY: "k",
      GEMINI_BASE_URL: "http://127.0.0.1:9/v1beta",
    });
    expect(elsewhere.providers[0]?.baseUrl).toBe("http://127.0.0.1:9/v1beta");
  });
});

describe("type: gemini providers", () => {
  it("defaults the base URL to AI Studio", () => {
    const config = parseConfigText(
      withProvider("  - { name: gem, type: gemini, apiKey: secret }"),
      "test.yaml",
      {},
    );
    expect(config.providers[0]).toMatchObject({
      type: "gemini",
      baseUrl: "https://generativelanguage.googleapis.com/v1beta",
      apiKey: "secret",
    });
    expect(config.providers[0]?.vertex).toBeUndefined();
  });

  it("builds the Vertex AI base URL from project and location (global has no region prefix)", () => {
    const regional = parseConfigText(
      withProvider(`  - name: gem
    type: gemini
    apiKey: ya29.token
    vertex: { project: my-project-123, location: europe-west4 }`),
      "test.yaml",
      {},
    );
    expect(regional.providers[0]).toMatchObject({
      vertex: { project: "my-project-123", location: "europe-west4" },
      baseUrl:
        "https://europe-west4-aiplatform.googleapis.com/v1/projects/my-project-123/locations/europe-west4/publishers/google",
    });
    const global = parseConfigText(
      withProvider("  - { name: gem, type: gemini, vertex: { project: my-project-123, location: global } }"),
      "test.yaml",
      {},
    );
    expect(global.providers[0]?.baseUrl).toBe(
      "https://aiplatform.googleapis.com/v1/projects/my-project-123/locations/global/publishers/google",
    );
  });

  it("rejects vertex on other types, unknown vertex keys and a malformed project", () => {
    expect(
      issuesOf(
        withProvider(
          "  - { name: gem, type: anthropic, vertex: { project: my-project-123, location: us-central1 } }",
        ),
      ),
    ).toEqual(["providers[0].vertex: only allowed for type gemini"]);
    expect(
      issuesOf(
        withProvider(
          "  - { name: gem, type: gemini, vertex: { project: my-project-123, location: us-central1, region: x } }",
        ),
      ),
    ).toEqual([expect.stringContaining("providers[0].vertex")]);
    expect(
      issuesOf(
        withProvider(
          "  - { name: gem, type: gemini, vertex: { project: My_Project, location: us-central1 } }",
        ),
      ),
    ).toEqual(["providers[0].vertex.project: a Google Cloud project id"]);
  });
});
