import { describe, expect, it } from "vitest";
import { openAiCompatiblePresetNames, openAiCompatiblePresets } from "../core/openai-compatible-presets.js";
import { ConfigError, parseConfigText } from "./load-config.js";

const withProvider = (provider: string) => `
providers:
${provider}
models:
  - name: chat
    targets:
      - provider: p
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

describe("openai-compatible presets", () => {
  it("supply the default base URL and read the key from the preset's variable", () => {
    const config = parseConfigText(
      withProvider("  - name: p\n    type: openai-compatible\n    preset: groq"),
      "test.yaml",
      { GROQ_API_KEY: "gsk_test" },
    );
    expect(config.providers[0]).toMatchObject({
      type: "openai-compatible",
      preset: "groq",
      baseUrl: "https://api.groq.com/openai/v1",
      apiKey: "gsk_test",
    });
  });

  it("let the config's baseUrl and apiKey win over the preset and the environment", () => {
    const config = parseConfigText(
      withProvider(`  - name: p
    type: openai-compatible
    preset: ollama
    baseUrl: http://gpu-box:11434/v1
    apiKey: local`),
      "test.yaml",
      {},
    );
    expect(config.providers[0]).toMatchObject({ baseUrl: "http://gpu-box:11434/v1", apiKey: "local" });
  });

  it.each(
    openAiCompatiblePresetNames.filter((name) => openAiCompatiblePresets[name].defaultBaseUrl !== undefined),
  )("%s needs no baseUrl", (name) => {
    const config = parseConfigText(
      withProvider(`  - name: p\n    type: openai-compatible\n    preset: ${name}`),
      "test.yaml",
      {},
    );
    expect(config.providers[0]?.baseUrl).toBe(openAiCompatiblePresets[name].defaultBaseUrl);
  });

  it("tgi needs a baseUrl (it is always self-hosted)", () => {
    expect(issuesOf(withProvider("  - name: p\n    type: openai-compatible\n    preset: tgi"))).toEqual([
      "providers[0].baseUrl: required for type openai-compatible with preset tgi (it has no default)",
    ]);
  });

  it("rejects an unknown preset naming the path, and a preset on another type", () => {
    const [unknown] = issuesOf(
      withProvider("  - name: p\n    type: openai-compatible\n    preset: llamacpp"),
    );
    expect(unknown).toMatch(/^providers\[0\]\.preset: .*"vllm"/);
    expect(issuesOf(withProvider("  - name: p\n    type: openai\n    preset: groq"))).toEqual([
      "providers[0].preset: only allowed for type openai-compatible",
    ]);
  });

  it("still requires a baseUrl without a preset", () => {
    expect(issuesOf(withProvider("  - name: p\n    type: openai-compatible"))).toEqual([
      "providers[0].baseUrl: required for type openai-compatible",
    ]);
  });
});
