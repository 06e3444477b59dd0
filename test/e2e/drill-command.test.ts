import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, cleanEnvironment, runCli } from "../support/cli-process.js";

let workDir: string;
let configFile: string;

beforeAll(() => {
  assertBuilt();
  workDir = mkdtempSync(path.join(tmpdir(), "switchyard-drill-cli-"));
  configFile = path.join(workDir, "drill.yaml");
  writeFileSync(
    configFile,
    `
providers:
  - { name: primary, type: simulator, simulator: { latencyMs: 0 } }
  - { name: backup, type: simulator, simulator: { latencyMs: 0 } }
  - { name: lonely, type: simulator }
models:
  - name: chat
    targets: [{ provider: primary, model: sim-small }, { provider: backup, model: sim-small }]
  - name: single
    targets: [{ provider: lonely, model: sim-small }]
  - name: shared
    targets: [{ provider: backup, model: sim-small }, { provider: backup, model: sim-large }]
resilience:
  circuitBreaker: { consecutiveFailures: 3, cooldownMs: 600000 }
`,
  );
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe("switchyard drill", () => {
  it("runs a scenario against the config's simulators and prints the figures and acceptance checks", async () => {
    const result = await runCli(
      [
        "drill",
        "--config",
        configFile,
        "--scenario",
        "primary-down",
        "--requests",
        "200",
        "--concurrency",
        "10",
      ],
      cleanEnvironment(),
      workDir,
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("drill primary-down on model group chat (primary primary/sim-small)");
    expect(result.stdout).toMatch(/success\s+200 \(100\.00%\)/);
    expect(result.stdout).toMatch(/PASS\s+breaker opens and traffic moves/);
    expect(result.stdout).toContain("drill passed");
  });

  it("prints JSON with --json", async () => {
    const result = await runCli(
      ["drill", "--config", configFile, "--scenario", "mid-stream-cuts", "--requests", "60", "--json"],
      cleanEnvironment(),
      workDir,
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ scenario: "mid-stream-cuts", requests: 60, primaryCleanStreamEndings: 0 });
    expect(report.unsignalledFailures).toBe(0);
  });

  it("refuses an unknown scenario and a group whose primary is not a simulator of its own", async () => {
    const unknown = await runCli(
      ["drill", "--config", configFile, "--scenario", "meteor"],
      cleanEnvironment(),
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("unknown scenario meteor");
    const missing = await runCli(
      ["drill", "--config", configFile, "--scenario", "primary-down", "--model", "nope"],
      cleanEnvironment(),
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no model group named nope");
    const shared = await runCli(
      ["drill", "--config", configFile, "--scenario", "primary-down", "--model", "shared"],
      cleanEnvironment(),
    );
    expect(shared.code).toBe(1);
    expect(shared.stderr).toContain("must not also serve the other targets of shared");
  });
});
