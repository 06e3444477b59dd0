import { rmSync } from "node:fs";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, expectOk } from "../support/admin-api-client.js";
import {
  assertBuilt,
  cleanEnvironment,
  type LongRunningCli,
  runCli,
  serveWorkDir,
  simulatorWorkDir,
} from "../support/cli-process.js";

let workDir: string;
let server: LongRunningCli | undefined;
const environment = cleanEnvironment({ SWITCHYARD_MASTER_KEY: "sy-tenancy-cli-test-master-key-0123456789" });

beforeAll(() => {
  assertBuilt();
  workDir = simulatorWorkDir("switchyard-tenancy-cli-", ["keys: { refreshIntervalMs: 100 }"]);
});
afterAll(async () => {
  await server?.stop("SIGKILL");
  rmSync(workDir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<string> {
  const result = await runCli([...args, "--config", "switchyard.yaml"], environment, workDir);
  if (result.code !== 0) throw new Error(`switchyard ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout;
}

async function cliJson(...args: string[]): Promise<Record<string, unknown>> {
  return JSON.parse(await cli(...args, "--json")) as Record<string, unknown>;
}

async function cliFailure(...args: string[]): Promise<string> {
  const result = await runCli([...args, "--config", "switchyard.yaml"], environment, workDir);
  expect(result.code).not.toBe(0);
  return result.stderr;
}

describe("switchyard teams, projects and keys", () => {
  it("creates a team, a project and a developer key in it, rotates it, and the served gateway agrees", async () => {
    const team = await cliJson("teams", "create", "--name", "search");
    const project = await cliJson("projects", "create", "--team", "search", "--name", "ranker");
    expect(project).toMatchObject({ teamId: team.id, name: "ranker" });
    const key = await cliJson(
      "keys",
      "create",
      "--name",
      "ranker-bot",
      "--project",
      "ranker",
      "--team",
      "search",
      "--role",
      "developer",
      "--user",
      "ada@example.com",
      "--expires",
      "30d",
      "--endpoints",
      "chat.completions",
    );
    expect(key).toMatchObject({
      teamId: team.id,
      projectId: project.id,
      role: "developer",
      userId: "ada@example.com",
      endpoints: ["chat.completions"],
    });
    expect(Date.parse(String(key.expiresAt)) - Date.now()).toBeGreaterThan(29 * 86_400_000);

    expect(await cliFailure("keys", "create", "--name", "x", "--role", "root")).toContain("--role: one of");
    expect(await cliFailure("teams", "delete", "search")).toContain("still has projects or keys");
    expect(await cliFailure("projects", "create", "--team", "nobody", "--name", "x")).toContain(
      "No team nobody",
    );

    const rotated = await cliJson("keys", "rotate", String(key.id), "--grace", "0");
    expect(rotated.key).not.toBe(key.key);
    expect((await cli("teams", "list")).trim()).toBe(`${String(team.id).padEnd(37)} search`);
    expect(await cli("projects", "list", "--team", "search")).toContain("ranker");
    expect(await cli("keys", "list")).toContain("developer");

    const served = await serveWorkDir(workDir, environment);
    server = served.server;
    const asKey = adminClient(served.url, String(rotated.key));
    expect(await expectOk(asKey("GET", "/admin/v1/whoami"))).toMatchObject({
      role: "developer",
      teamName: "search",
      projectName: "ranker",
      userId: "ada@example.com",
    });
    const oldKey = await adminClient(served.url, String(key.key))("GET", "/admin/v1/whoami");
    expect(oldKey).toMatchObject({ status: 401, body: { error: { code: "GW_ERR_AUTH_KEY_EXPIRED" } } });
    const embeddings = await new OpenAI({
      baseURL: `${served.url}/v1`,
      apiKey: String(rotated.key),
      maxRetries: 0,
    }).embeddings
      .create({ model: "assistant", input: "hi" })
      .catch((error: unknown) => error);
    expect(embeddings).toMatchObject({ status: 403, code: "GW_ERR_AUTH_ENDPOINT_NOT_ALLOWED" });

    // A change from the CLI reaches the running gateway through its key cache.
    await cli("keys", "update", String(key.id), "--role", "viewer");
    await expect
      .poll(async () => ((await asKey("GET", "/admin/v1/whoami")).body as { role?: string }).role, {
        timeout: 15_000,
        interval: 50,
      })
      .toBe("viewer");
  }, 180_000);
});
