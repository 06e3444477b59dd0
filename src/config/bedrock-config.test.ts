import { describe, expect, it } from "vitest";
import { ConfigError, configFromEnvironment, parseConfigText } from "./load-config.js";

const withProvider = (provider: string) => `
providers:
${provider}
models:
  - name: claude
    targets:
      - provider: aws
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

describe("type: bedrock providers", () => {
  it("signs with the file's keys and defaults the base URL to the region's bedrock-runtime endpoint", () => {
    const config = parseConfigText(
      withProvider(`  - name: aws
    type: bedrock
    bedrock:
      region: eu-central-1
      accessKeyId: AKIAFILE
      secretAccessKey: \${env:MY_SECRET}
      sessionToken: file-token`),
      "test.yaml",
      { MY_SECRET: "file-secret", AWS_BEARER_TOKEN_BEDROCK: "ignored-bearer", AWS_REGION: "us-east-1" },
    );
    expect(config.providers[0]).toMatchObject({
      type: "bedrock",
      baseUrl: "https://bedrock-runtime.eu-central-1.amazonaws.com",
      bedrock: {
        region: "eu-central-1",
        auth: {
          kind: "sigv4",
          accessKeyId: "AKIAFILE",
          secretAccessKey: "file-secret",
          sessionToken: "file-token",
        },
      },
    });
  });

  it("takes region and credentials from the standard AWS variables when the file leaves them out", () => {
    const config = parseConfigText(withProvider("  - name: aws\n    type: bedrock"), "test.yaml", {
      AWS_DEFAULT_REGION: "us-west-2",
      AWS_ACCESS_KEY_ID: "AKIAENV",
      AWS_SECRET_ACCESS_KEY: "env-secret",
      AWS_SESSION_TOKEN: "env-token",
    });
    expect(config.providers[0]?.bedrock).toEqual({
      region: "us-west-2",
      auth: {
        kind: "sigv4",
        accessKeyId: "AKIAENV",
        secretAccessKey: "env-secret",
        sessionToken: "env-token",
      },
    });
  });

  it("uses a Bedrock API key (apiKey, else AWS_BEARER_TOKEN_BEDROCK) before the AWS key variables", () => {
    const fromFile = parseConfigText(
      withProvider(
        "  - name: aws\n    type: bedrock\n    apiKey: file-bearer\n    bedrock: { region: us-east-1 }",
      ),
      "test.yaml",
      { AWS_ACCESS_KEY_ID: "AKIAENV", AWS_SECRET_ACCESS_KEY: "env-secret" },
    );
    expect(fromFile.providers[0]?.bedrock?.auth).toEqual({ kind: "bearer", token: "file-bearer" });
    const fromEnvironment = parseConfigText(withProvider("  - name: aws\n    type: bedrock"), "test.yaml", {
      AWS_REGION: "us-east-1",
      AWS_BEARER_TOKEN_BEDROCK: "env-bearer",
      AWS_ACCESS_KEY_ID: "AKIAENV",
      AWS_SECRET_ACCESS_KEY: "env-secret",
    });
    expect(fromEnvironment.providers[0]?.bedrock?.auth).toEqual({ kind: "bearer", token: "env-bearer" });
  });

  it("names what is missing or wrong, by path", () => {
    expect(issuesOf(withProvider("  - name: aws\n    type: bedrock"), { AWS_ACCESS_KEY_ID: "A" })).toEqual([
      "providers[0].bedrock: region is required (bedrock.region, AWS_REGION or AWS_DEFAULT_REGION)",
    ]);
    expect(
      issuesOf(withProvider("  - name: aws\n    type: bedrock\n    bedrock: { region: us-east-1 }")),
    ).toEqual([
      "providers[0].bedrock: credentials are required: bedrock.accessKeyId and bedrock.secretAccessKey, apiKey, AWS_BEARER_TOKEN_BEDROCK, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
    ]);
    expect(
      issuesOf(
        withProvider("  - name: aws\n    type: bedrock\n    bedrock: { region: us-east-1, accessKeyId: A }"),
      ),
    ).toEqual(["providers[0].bedrock: accessKeyId and secretAccessKey go together"]);
    expect(
      issuesOf(withProvider("  - name: aws\n    type: bedrock\n    bedrock: { region: Virginia }")),
    ).toEqual(["providers[0].bedrock.region: an AWS region such as us-east-1"]);
    expect(
      issuesOf(
        withProvider("  - name: aws\n    type: bedrock\n    bedrock: { region: us-east-1, profile: dev }"),
      ),
    ).toEqual(['providers[0].bedrock: Unrecognized key: "profile"']);
    expect(
      issuesOf(withProvider("  - name: aws\n    type: simulator\n    bedrock: { region: us-east-1 }")),
    ).toEqual(["providers[0].bedrock: only allowed for type bedrock"]);
  });
});

describe("Bedrock without a config file", () => {
  it("adds a bedrock provider for a Bedrock API key or AWS keys with a region, and routes * to it when alone", () => {
    const alone = configFromEnvironment({ AWS_BEARER_TOKEN_BEDROCK: "env-bearer", AWS_REGION: "us-east-1" });
    expect(alone.providers).toMatchObject([
      {
        name: "bedrock",
        type: "bedrock",
        baseUrl: "https://bedrock-runtime.us-east-1.amazonaws.com",
        bedrock: { region: "us-east-1", auth: { kind: "bearer", token: "env-bearer" } },
      },
    ]);
    expect(alone.models).toMatchObject([{ name: "*", targets: [{ provider: "bedrock" }] }]);
    const behindOpenAi = configFromEnvironment({
      OPENAI_API_KEY: "sk-test",
      AWS_ACCESS_KEY_ID: "AKIAENV",
      AWS_SECRET_ACCESS_KEY: "env-secret",
      AWS_REGION: "us-east-1",
      BEDROCK_BASE_URL: "http://127.0.0.1:9/",
    });
    expect(behindOpenAi.providers.map((provider) => [provider.name, provider.baseUrl])).toEqual([
      ["openai", "https://api.openai.com/v1"],
      ["bedrock", "http://127.0.0.1:9/"],
    ]);
    const keysWithoutRegion = configFromEnvironment({
      AWS_ACCESS_KEY_ID: "AKIAENV",
      AWS_SECRET_ACCESS_KEY: "s",
    });
    expect(keysWithoutRegion.providers.map((provider) => provider.type)).toEqual(["simulator"]);
  });
});
