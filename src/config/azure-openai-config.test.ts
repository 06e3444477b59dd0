import { describe, expect, it } from "vitest";
import { ConfigError, configFromEnvironment, parseConfigText } from "./load-config.js";

const withProvider = (provider: string) => `
providers:
${provider}
models:
  - name: chat
    targets:
      - provider: p
`;

function issuesOf(text: string, environment: Record<string, string> = {}): string[] {
  try {
    parseConfigText(text, "test.yaml", environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

describe("type: azure-openai", () => {
  it("defaults to deployment URLs and the current GA api-version, the key sent from apiKey", () => {
    const config = parseConfigText(
      withProvider(`  - name: p
    type: azure-openai
    apiKey: \${env:AZURE_OPENAI_API_KEY}
    azure: { endpoint: "https://contoso.openai.azure.com/" }`),
      "test.yaml",
      { AZURE_OPENAI_API_KEY: "azure-key" },
    );
    expect(config.providers[0]).toMatchObject({
      type: "azure-openai",
      apiKey: "azure-key",
      baseUrl: "https://contoso.openai.azure.com/openai/deployments",
      azure: {
        endpoint: "https://contoso.openai.azure.com",
        apiVersion: "2024-10-21",
        api: "deployments",
        entraToken: undefined,
      },
    });
  });

  it("takes the v1 API, an Entra token, and AZURE_OPENAI_AD_TOKEN when no credential is configured", () => {
    const explicit = parseConfigText(
      withProvider(`  - name: p
    type: azure-openai
    azure: { endpoint: "https://contoso.openai.azure.com", api: v1, entraToken: eyJ0eXAi }`),
      "test.yaml",
      { AZURE_OPENAI_API_KEY: "ignored: the config names a credential" },
    );
    expect(explicit.providers[0]).toMatchObject({
      baseUrl: "https://contoso.openai.azure.com/openai/v1",
      apiKey: undefined,
      azure: { api: "v1", entraToken: "eyJ0eXAi" },
    });
    const fromEnvironment = parseConfigText(
      withProvider(`  - name: p
    type: azure-openai
    azure: { endpoint: "https://contoso.openai.azure.com", apiVersion: 2025-04-01-preview }`),
      "test.yaml",
      { AZURE_OPENAI_AD_TOKEN: "eyJ0b2tlbiI" },
    );
    expect(fromEnvironment.providers[0]).toMatchObject({
      apiKey: undefined,
      azure: { apiVersion: "2025-04-01-preview", entraToken: "eyJ0b2tlbiI" },
    });
  });

  it("rejects a missing azure block, baseUrl, both credentials, bad versions and azure on other types", () => {
    expect(issuesOf(withProvider("  - name: p\n    type: azure-openai"))).toEqual([
      "providers[0].azure: required for type azure-openai (at least azure.endpoint)",
    ]);
    expect(
      issuesOf(
        withProvider(`  - name: p
    type: azure-openai
    baseUrl: https://contoso.openai.azure.com
    apiKey: k
    azure: { endpoint: "https://contoso.openai.azure.com", entraToken: t, apiVersion: latest, api: v2 }`),
      ),
    ).toEqual([
      "providers[0].azure.apiVersion: a version like 2024-10-21 or 2025-04-01-preview",
      expect.stringMatching(/^providers\[0\]\.azure\.api: /),
    ]);
    expect(
      issuesOf(
        withProvider(`  - name: p
    type: azure-openai
    baseUrl: https://contoso.openai.azure.com
    apiKey: k
    azure: { endpoint: "https://contoso.openai.azure.com", entraToken: t }`),
      ),
    ).toEqual([
      "providers[0].baseUrl: not used by type azure-openai: set azure.endpoint",
      "providers[0].azure.entraToken: give either apiKey (sent as api-key) or azure.entraToken (sent as a bearer token), not both",
    ]);
    expect(
      issuesOf(
        withProvider(`  - name: p
    type: openai
    azure: { endpoint: "https://contoso.openai.azure.com" }`),
      ),
    ).toEqual(["providers[0].azure: only allowed for type azure-openai"]);
  });
});

describe("AZURE_OPENAI_* without a config file", () => {
  it("configures an azure-openai provider from the endpoint and key, OPENAI_API_VERSION picking the version", () => {
    const config = configFromEnvironment({
      AZURE_OPENAI_ENDPOINT: "https://contoso.openai.azure.com",
      AZURE_OPENAI_API_KEY: "azure-key",
      OPENAI_API_VERSION: "2025-04-01-preview",
    });
    expect(config.providers).toMatchObject([
      {
        name: "azure",
        type: "azure-openai",
        apiKey: "azure-key",
        azure: { endpoint: "https://contoso.openai.azure.com", apiVersion: "2025-04-01-preview" },
      },
    ]);
    expect(config.models).toMatchObject([{ name: "*", targets: [{ provider: "azure" }] }]);
  });

  it("needs both the endpoint and a credential, and sits behind OpenAI and Anthropic keys", () => {
    const keyOnly = configFromEnvironment({ AZURE_OPENAI_API_KEY: "azure-key" });
    expect(keyOnly.providers.map((provider) => provider.type)).toEqual(["simulator"]);
    const withToken = configFromEnvironment({
      AZURE_OPENAI_ENDPOINT: "https://contoso.openai.azure.com",
      AZURE_OPENAI_AD_TOKEN: "eyJ0eXAi",
      OPENAI_API_KEY: "sk-test",
    });
    expect(withToken.providers.map((provider) => provider.name)).toEqual(["openai", "azure"]);
    expect(withToken.providers[1]?.azure?.entraToken).toBe("eyJ0eXAi");
    expect(withToken.models).toMatchObject([{ name: "*", targets: [{ provider: "openai" }] }]);
  });
});
