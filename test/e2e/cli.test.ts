import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  assertBuilt,
  cleanEnvironment,
  type LongRunningCli,
  runCli,
  startCli,
} from "../support/cli-process.js";

let workDir: string;
const running: LongRunningCli[] = [];

beforeAll(() => {
  assertBuilt();
  workDir = mkdtempSync(path.join(tmpdir(), "switchyard-cli-"));
});
afterAll(async () => {
  await Promise.all(running.map((process) => process.stop("SIGKILL")));
  rmSync(workDir, { recursive: true, force: true });
});

function serve(args: readonly string[], environment: Record<string, string> = {}): LongRunningCli {
  const process = startCli(
    ["serve", "--port", "0", "--host", "127.0.0.1", ...args],
    cleanEnvironment(environment),
    workDir,
  );
  running.push(process);
  return process;
}

async function urlOf(process: LongRunningCli): Promise<string> {
  const match = await process.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
  return match[1] as string;
}

function client(url: string, apiKey: string): OpenAI {
  return new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0 });
}

const hello: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "hello" }];

describe("switchyard init and config check", () => {
  it("writes a starter config that checks as valid, and refuses to overwrite it", async () => {
    const file = path.join(workDir, "starter.yaml");
    const init = await runCli(["init", file], cleanEnvironment());
    expect(init.code).toBe(0);
    const check = await runCli(["config", "check", file], cleanEnvironment());
    expect(check).toMatchObject({ code: 0 });
    expect(check.stdout).toContain("valid");
    expect(check.stdout).toContain("simulator (simulator)");
    const again = await runCli(["init", file], cleanEnvironment());
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exists");
  });

  it("names every problem with its path and line, and exits 1", async () => {
    const file = path.join(workDir, "broken.yaml");
    writeFileSync(
      file,
      "providers:\n  - name: x\n    type: openai-compatible\n    colour: blue\nmodels: []\n",
    );
    const check = await runCli(["config", "check", file], cleanEnvironment());
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("providers[0] (line 2): Unrecognized key");
    expect(check.stderr).toContain('"colour"');
    expect(check.stderr).toContain("models (line 5)");
  });
});

describe("switchyard serve start-up failures", () => {
  it("exits 1 with a clear message when the port is taken, leaving nothing running", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const result = await runCli(
        ["serve", "--port", String(port), "--host", "127.0.0.1", "--data-dir", path.join(workDir, "taken")],
        cleanEnvironment(),
        workDir,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("EADDRINUSE");
    } finally {
      blocker.close();
    }
  });

  it("exits 1 naming the problem when the config is invalid", async () => {
    const file = path.join(workDir, "invalid-serve.yaml");
    writeFileSync(file, "providers: []\nmodels: []\n");
    const result = await runCli(["serve", "--config", file], cleanEnvironment(), workDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("providers");
  });
});

describe("switchyard simulator", () => {
  it("runs the simulator standalone as an OpenAI-compatible server", async () => {
    const simulator = startCli(["simulator", "--port", "0"], cleanEnvironment(), workDir);
    running.push(simulator);
    const url = (await simulator.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)\/v1/))[1] as string;
    const answer = await client(url, "any").chat.completions.create({ model: "sim-small", messages: hello });
    expect(answer.object).toBe("chat.completion");
    expect(await simulator.stop()).toBe(0);
  });
});

describe("switchyard serve on the embedded default", () => {
  it("serves the simulator with no keys, says so, and prints a generated master key only once", async () => {
    const dataDir = path.join(workDir, "default-data");
    const first = serve(["--data-dir", dataDir]);
    const url = await urlOf(first);
    await first.waitFor(/served by the built-in SIMULATOR/);
    const masterKey = (
      await first.waitFor(/Master key \(shown once, stored hashed\): (sy-\S+)/)
    )[1] as string;
    const answer = await client(url, masterKey).chat.completions.create({
      model: "any-model",
      messages: hello,
    });
    expect(answer.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(await first.stop()).toBe(0);

    const second = serve(["--data-dir", dataDir]);
    const secondUrl = await urlOf(second);
    expect(second.output()).not.toContain("Master key");
    await expect(client(secondUrl, masterKey).models.list()).resolves.toBeDefined();
    expect(await second.stop()).toBe(0);
  });
});

describe("keys, logs and reload against a running server", () => {
  const master = "sy-cli-test-master";
  let configFile: string;
  let server: LongRunningCli;
  let url: string;

  const configText = (extraGroup: string) => `
storage:
  url: sqlite:cli-data/switchyard.db
providers:
  - name: sim
    type: simulator
    simulator: { latencyMs: 0, tokensPerSecond: 40 }
models:
  - name: fast
    targets:
      - provider: sim
        model: sim-small
${extraGroup}
requestLog: { flushIntervalMs: 50 }
keys: { refreshIntervalMs: 50 }
`;

  beforeAll(async () => {
    configFile = path.join(workDir, "switchyard.yaml");
    writeFileSync(configFile, configText(""));
    server = serve(["--config", configFile], { SWITCHYARD_MASTER_KEY: master });
    url = await urlOf(server);
  });

  const cli = (args: readonly string[]) =>
    runCli([...args, "--config", configFile], cleanEnvironment(), workDir);

  it("creates, lists and revokes keys; the server follows", async () => {
    const created = await cli(["keys", "create", "--name", "ci-bot", "--models", "fast", "--json"]);
    expect(created.code).toBe(0);
    const key = JSON.parse(created.stdout) as { key: string; prefix: string; models: string[] };
    expect(key.models).toEqual(["fast"]);

    const keyClient = client(url, key.key);
    await vi.waitFor(() => keyClient.chat.completions.create({ model: "fast", messages: hello }), {
      timeout: 5_000,
      interval: 25,
    });

    const listed = await cli(["keys", "list"]);
    expect(listed.stdout).toContain(key.prefix);
    expect(listed.stdout).toContain("ci-bot");
    expect(listed.stdout).not.toContain(key.key);

    const revoked = await cli(["keys", "revoke", key.prefix]);
    expect(revoked.code).toBe(0);
    await vi.waitFor(
      async () => {
        await expect(keyClient.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
      },
      { timeout: 5_000, interval: 25 },
    );
    const unknown = await cli(["keys", "revoke", "sy-nothing"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no key with id or prefix");
  });

  it("finds requests with logs query and logs tail", async () => {
    const failure = await client(url, master)
      .chat.completions.create({ model: "missing-model", messages: hello })
      .catch((error) => error);
    expect(failure).toBeInstanceOf(OpenAI.NotFoundError);
    await vi.waitFor(
      async () => {
        const query = await cli(["logs", "query", "--since", "1h", "--status", "4xx"]);
        expect(query.stdout).toContain("missing-model");
        expect(query.stdout).toContain("GW_ERR_MODEL_NOT_FOUND");
      },
      { timeout: 5_000, interval: 50 },
    );
    const fiveHundreds = await cli(["logs", "query", "--since", "1h", "--status", "5xx", "--json"]);
    expect(fiveHundreds.stdout.trim()).toBe("");
    const tail = await cli(["logs", "tail", "--no-follow", "--json"]);
    const rows = tail.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { modelRequested: string; status: number });
    expect(rows.at(-1)).toMatchObject({ modelRequested: "missing-model", status: 404 });
    const follower = startCli(
      ["logs", "tail", "--interval-ms", "50", "--config", configFile],
      cleanEnvironment(),
      workDir,
    );
    running.push(follower);
    await follower.waitFor(/missing-model/);
    await client(url, master).chat.completions.create({ model: "fast", messages: hello });
    await follower.waitFor(/ 200 +fast +sim\/sim-small/);
    expect(await follower.stop("SIGINT")).toBe(0);
    const bad = await cli(["logs", "query", "--since", "yesterday-ish"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("not a duration");
  });

  it("reloads on SIGHUP without dropping an in-flight stream, and keeps serving after a bad reload", async () => {
    const masterClient = client(url, master);
    const stream = await masterClient.chat.completions.create({
      model: "fast",
      messages: hello,
      max_tokens: 30,
      stream: true,
    });
    writeFileSync(configFile, configText("  - name: reloaded\n    targets:\n      - provider: sim\n"));
    server.child.kill("SIGHUP");
    await vi.waitFor(
      async () => {
        const models = await masterClient.models.list();
        expect(models.data.map((model) => model.id)).toContain("reloaded");
      },
      { timeout: 5_000, interval: 25 },
    );
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text.length).toBeGreaterThan(0);

    writeFileSync(configFile, "providers: [oops\n");
    server.child.kill("SIGHUP");
    const answer = await masterClient.chat.completions.create({ model: "reloaded", messages: hello });
    expect(answer.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(readFileSync(configFile, "utf8")).toContain("oops");
    expect(await server.stop()).toBe(0);
  });
});
