import { describe, expect, it } from "vitest";
import { ConfigError, configFromEnvironment, parseConfigText } from "./load-config.js";

const minimal = `
providers:
  - name: local
    type: openai-compatible
    baseUrl: http://127.0.0.1:8000/v1
    apiKey: \${env:LOCAL_KEY}
models:
  - name: fast
    targets:
      - provider: local
        model: llama-3.1-8b
`;

function issuesOf(text: string, environment: Record<string, string> = {}) {
  try {
    parseConfigText(text, "test.yaml", environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

describe("parseConfigText", () => {
  it("defaults the audit settings, with the signing key file in the data dir", () => {
    const config = parseConfigText(
      minimal,
      "/etc/switchyard/test.yaml",
      { LOCAL_KEY: "k" },
      { dataDir: "/var/sy" },
    );
    expect(config.audit).toEqual({
      checkpointEvery: 100,
      checkpointIntervalMs: 60_000,
      signingKeyFile: "/var/sy/audit-signing-key.pem",
      signingKey: undefined,
    });
  });

  it("resolves a configured audit key file against the config file, and takes a PEM key from the environment", () => {
    const text = `${minimal}audit:\n  checkpointEvery: 10\n  signingKeyFile: keys/audit.pem\n`;
    const config = parseConfigText(text, "/etc/switchyard/test.yaml", {
      LOCAL_KEY: "k",
      SWITCHYARD_AUDIT_SIGNING_KEY: "-----BEGIN PRIVATE KEY-----",
    });
    expect(config.audit).toEqual({
      checkpointEvery: 10,
      checkpointIntervalMs: 60_000,
      signingKeyFile: "/etc/switchyard/keys/audit.pem",
      signingKey: "-----BEGIN PRIVATE KEY-----",
    });
  });

  it("fills defaults, interpolates env references and freezes the result", () => {
    const config = parseConfigText(minimal, "/etc/switchyard/test.yaml", { LOCAL_KEY: "secret-1" });
    expect(config.providers[0]?.apiKey).toBe("secret-1");
    expect(config.providers[0]?.timeouts).toEqual({ connectMs: 10_000, headersMs: 120_000, idleMs: 120_000 });
    expect(config.server).toEqual({ host: "0.0.0.0", port: 4000, bodyLimitBytes: 4 * 1024 * 1024 });
    expect(config.storage.url).toBe("sqlite:.switchyard/switchyard.db");
    expect(config.models[0]?.targets[0]).toEqual({ provider: "local", model: "llama-3.1-8b", params: {} });
    expect(Object.isFrozen(config.providers[0]?.timeouts)).toBe(true);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it("resolves a relative sqlite path against the config file's folder", () => {
    const text = `${minimal}\nstorage:\n  url: sqlite:data/gw.db\n`;
    const config = parseConfigText(text, "/etc/switchyard/test.yaml", { LOCAL_KEY: "k" });
    expect(config.storage.url).toBe("sqlite:/etc/switchyard/data/gw.db");
  });

  it("lets --port win over PORT, and PORT over the file", () => {
    const text = `${minimal}\nserver:\n  port: 5000\n`;
    expect(parseConfigText(text, "t.yaml", { LOCAL_KEY: "k" }).server.port).toBe(5000);
    expect(parseConfigText(text, "t.yaml", { LOCAL_KEY: "k", PORT: "5001" }).server.port).toBe(5001);
    expect(
      parseConfigText(text, "t.yaml", { LOCAL_KEY: "k", PORT: "5001" }, { port: 5002 }).server.port,
    ).toBe(5002);
  });

  it("rejects unknown keys, naming the path and the line", () => {
    const text = minimal.replace("    apiKey:", "    apiKey2: x\n    apiKey:");
    const issues = issuesOf(text, { LOCAL_KEY: "k" });
    expect(issues).toEqual([expect.objectContaining({ path: "providers[0]", line: 3 })]);
    expect(issues[0]?.message).toContain("apiKey2");
  });

  it("reports a missing environment variable at its path", () => {
    expect(issuesOf(minimal)).toEqual([
      { path: "providers[0].apiKey", message: "environment variable LOCAL_KEY is not set", line: 6 },
    ]);
  });

  it("reports every wrong type at once, with lines", () => {
    const text = `
server:
  port: "eighty"
providers:
  - name: a
    type: openai-compatible
    timeouts: { connectMs: -1 }
models: []
`;
    const issues = issuesOf(text);
    expect(issues.map((issue) => issue.path)).toEqual([
      "server.port",
      "providers[0].timeouts.connectMs",
      "providers[0].baseUrl",
      "models",
    ]);
    expect(issues.find((issue) => issue.path === "server.port")?.line).toBe(3);
  });

  it("reports unknown providers and duplicate names", () => {
    const text = `
providers:
  - name: a
    type: simulator
  - name: a
    type: simulator
models:
  - name: m
    targets:
      - provider: nowhere
`;
    const issues = issuesOf(text);
    expect(issues.map((issue) => issue.path)).toEqual(["providers[1].name", "models[0].targets[0].provider"]);
    expect(issues[1]?.message).toBe('no provider named "nowhere" (known: a)');
  });

  it("reports YAML syntax errors with a line", () => {
    const issues = issuesOf("providers:\n  - name: [unclosed\n");
    expect(issues[0]?.message).toMatch(/^YAML syntax/);
    expect(issues[0]?.line).toBeGreaterThan(0);
  });

  it("rejects an empty file with the required sections named", () => {
    const paths = issuesOf("").map((issue) => issue.path);
    expect(paths).toEqual(["providers", "models"]);
  });
});

describe("configFromEnvironment", () => {
  it("serves every model from the simulator when no provider key is set", () => {
    const config = configFromEnvironment({});
    expect(config.source).toBe("environment");
    expect(config.providers.map((provider) => provider.type)).toEqual(["simulator"]);
    expect(config.models).toEqual([
      { name: "*", targets: [{ provider: "simulator", model: undefined, params: {} }] },
    ]);
    expect(config.masterKey).toBeUndefined();
  });

  it("routes every model to OpenAI when OPENAI_API_KEY is set", () => {
    const config = configFromEnvironment({ OPENAI_API_KEY: "sk-test", SWITCHYARD_MASTER_KEY: "master" });
    expect(config.providers[0]).toMatchObject({ name: "openai", type: "openai", apiKey: "sk-test" });
    expect(config.providers[0]?.baseUrl).toBe("https://api.openai.com/v1");
    expect(config.masterKey).toBe("master");
  });

  it("uses OPENAI_BASE_URL for compatible servers, and --data-dir for storage", () => {
    const config = configFromEnvironment(
      { OPENAI_BASE_URL: "http://127.0.0.1:11434/v1" },
      { dataDir: "/tmp/sy" },
    );
    expect(config.providers[0]).toMatchObject({
      type: "openai-compatible",
      baseUrl: "http://127.0.0.1:11434/v1",
    });
    expect(config.storage.url).toBe("sqlite:/tmp/sy/switchyard.db");
  });

  it("rejects a malformed PORT and log level", () => {
    expect(() => configFromEnvironment({ PORT: "http" })).toThrow(ConfigError);
    expect(() => configFromEnvironment({ SWITCHYARD_LOG_LEVEL: "loud" })).toThrow(/SWITCHYARD_LOG_LEVEL/);
  });
});
