import { rmSync } from "node:fs";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assertBuilt,
  cleanEnvironment,
  type LongRunningCli,
  runCli,
  serveWorkDir,
  simulatorWorkDir,
} from "../support/cli-process.js";
import { FakeSecrets } from "../support/fake-secrets.js";

let workDir: string;
let server: LongRunningCli | undefined;
const masterKey = "sy-key-metadata-scope-test-master-key-0123456";
const token = new FakeSecrets("key-metadata-scope").byName("github_classic");

beforeAll(() => {
  assertBuilt();
  workDir = simulatorWorkDir("switchyard-scope-", [
    "safety:",
    "  policies:",
    "    - { name: search-secrets, stages: [input], scope: { teams: [search] }, detectors: [secrets], action: block }",
  ]);
});
afterAll(async () => {
  await server?.stop("SIGKILL");
  rmSync(workDir, { recursive: true, force: true });
});

describe("policy scopes by the key's team", () => {
  it("applies a team-scoped policy to keys tagged with that team only", async () => {
    const environment = cleanEnvironment({ SWITCHYARD_MASTER_KEY: masterKey });
    const created = await runCli(
      [
        "keys",
        "create",
        "--config",
        "switchyard.yaml",
        "--name",
        "search-bot",
        "--metadata",
        "team=search,project=ranker",
        "--json",
      ],
      environment,
      workDir,
    );
    expect(created.code).toBe(0);
    const searchKey = JSON.parse(created.stdout) as { key: string; metadata: Record<string, string> };
    expect(searchKey.metadata).toEqual({ team: "search", project: "ranker" });
    const refused = await runCli(
      ["keys", "create", "--config", "switchyard.yaml", "--name", "x", "--metadata", "team"],
      environment,
      workDir,
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("--metadata: expected name=value pairs");

    const served = await serveWorkDir(workDir, environment);
    server = served.server;
    const url = served.url;
    const ask = (apiKey: string) =>
      new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0 }).chat.completions.create({
        model: "assistant",
        messages: [{ role: "user", content: `Why does ${token} not work?` }],
      });
    const blocked = await ask(searchKey.key).catch((error: unknown) => error);
    expect((blocked as InstanceType<typeof OpenAI.APIError>).code).toBe("GW_ERR_POLICY_BLOCKED");
    expect((blocked as Error).message).toContain("search-secrets");
    const answered = await ask(masterKey);
    expect(answered.choices[0]?.message.role).toBe("assistant");
  });
});
