import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  assertBuilt,
  cleanEnvironment,
  type LongRunningCli,
  runCli,
  serveWorkDir,
  simulatorWorkDir,
} from "../support/cli-process.js";

const masterKey = "sy-levers-cli-test-master-key-0123456789";
const environment = cleanEnvironment({ SWITCHYARD_MASTER_KEY: masterKey });
let workDir: string;
let server: LongRunningCli | undefined;
let url: string;

beforeAll(async () => {
  assertBuilt();
  workDir = simulatorWorkDir("switchyard-levers-cli-", ["levers: { refreshIntervalMs: 100 }"]);
  ({ server, url } = await serveWorkDir(workDir, environment));
}, 60_000);
afterAll(async () => {
  await server?.stop("SIGKILL");
  rmSync(workDir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runCli([...args, "--config", "switchyard.yaml"], environment, workDir);
}

/** The status a running gateway gives a chat request with tools. */
async function toolsStatus(): Promise<number> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${masterKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: "assistant",
      messages: [{ role: "user", content: "hi" }],
      tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }],
    }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe("switchyard levers", () => {
  it("sets a lever a running gateway applies, lists it, clears it (both audited), and refuses bad input", async () => {
    expect(await toolsStatus()).toBe(200);
    const set = await cli(
      "levers",
      "set",
      "disable-tools",
      "--group",
      "assistant",
      "--reason",
      "INC-9",
      "--json",
    );
    expect(set.code).toBe(0);
    const lever = JSON.parse(set.stdout) as { id: string; reason: string };
    expect(lever.reason).toBe("INC-9");
    await vi.waitFor(async () => expect(await toolsStatus()).toBe(400), { timeout: 10_000, interval: 20 });

    const listed = await cli("levers", "list");
    expect(listed.stdout).toContain(lever.id);
    expect(listed.stdout).toContain("disable-tools group=assistant");

    expect((await cli("levers", "clear", lever.id, "--reason", "fixed")).code).toBe(0);
    await vi.waitFor(async () => expect(await toolsStatus()).toBe(200), { timeout: 10_000, interval: 20 });
    expect((await cli("levers", "list")).stdout).toContain("No lever is in force.");

    const audit = await cli("audit", "export", "--from", "2000-01-01T00:00:00Z");
    expect(audit.stdout).toContain("lever.set");
    expect(audit.stdout).toContain("lever.clear");

    const bad = await cli("levers", "set", "timeout", "--group", "assistant", "--reason", "x");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("firstTokenMs, totalMs or both");
    expect((await cli("levers", "clear", lever.id, "--reason", "again")).code).not.toBe(0);
  });
});
