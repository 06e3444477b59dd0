import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { benchModel, chatRequestBody } from "./mock-upstream.js";
import { freePort, ProcessGroup } from "./processes.js";

/**
 * Counts the user-space CPU instructions each server executes per request, under valgrind's callgrind with
 * instrumentation switched on only for the measured requests (after a warm-up, so start-up and most JIT
 * compilation are left out). Unlike req/s or CPU time, the count hardly moves when other processes compete for
 * the cores, so it compares the minimal proxy and Switchyard on a busy machine. It leaves out kernel time
 * (sockets, syscalls), which is about the same for both, so its ratio is larger than the CPU-time ratio.
 */

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const warmupRequests = Number(process.env.BENCH_INSTRUCTIONS_WARMUP ?? 6000);
const measuredRequests = Number(process.env.BENCH_INSTRUCTIONS_REQUESTS ?? 3000);
const connections = 16;

interface Measured {
  readonly name: string;
  readonly ok: number;
  readonly instructions: number;
}

async function waitUntilServing(url: string, headers: Record<string, string>): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const answered = await fetch(url, { method: "POST", headers, body: chatRequestBody }).then(
      (response) => response.status === 200,
      () => false,
    );
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not answer 200 within 5 minutes`);
}

function load(url: string, headers: Record<string, string>, amount: number): Promise<number> {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, method: "POST", headers, body: chatRequestBody, connections, amount },
      (error, result) => (error ? reject(error) : resolve(result["2xx"])),
    );
  });
}

async function callgrindTotal(directory: string): Promise<number | undefined> {
  for (let attempt = 0; attempt < 240; attempt++) {
    const dumps = (await readdir(directory)).filter((file) => /^callgrind\.out\.\d+$/.test(file));
    for (const dump of dumps) {
      const match = /^totals: (\d+)$/m.exec(await readFile(path.join(directory, dump), "utf8"));
      if (match?.[1] !== undefined) return Number(match[1]);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return undefined;
}

async function measure(
  name: string,
  command: readonly string[],
  workDir: string,
  url: string,
  headers: Record<string, string>,
  env: Record<string, string>,
): Promise<Measured> {
  const child = spawn(
    "valgrind",
    [
      "--tool=callgrind",
      "--instr-atstart=no",
      `--callgrind-out-file=${path.join(workDir, "callgrind.out")}`,
      process.execPath,
      ...command,
    ],
    { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-4000);
  });
  const pid = String(child.pid);
  try {
    process.stderr.write(`… ${name}: starting under callgrind\n`);
    await waitUntilServing(url, headers);
    process.stderr.write(`… ${name}: ${warmupRequests} warm-up requests\n`);
    await load(url, headers, warmupRequests);
    execFileSync("callgrind_control", ["--instr=on", pid], { stdio: "ignore" });
    process.stderr.write(`… ${name}: ${measuredRequests} measured requests\n`);
    const ok = await load(url, headers, measuredRequests);
    execFileSync("callgrind_control", ["--instr=off", pid], { stdio: "ignore" });
    execFileSync("callgrind_control", ["--dump", pid], { stdio: "ignore" });
    const instructions = await callgrindTotal(workDir);
    if (instructions === undefined) throw new Error(`${name}: no callgrind dump. valgrind said:\n${stderr}`);
    return { name, ok, instructions };
  } finally {
    child.kill("SIGKILL");
  }
}

async function main(): Promise<void> {
  const group = new ProcessGroup();
  const workDir = await mkdtemp(path.join(os.tmpdir(), "switchyard-instructions-"));
  try {
    const mock = await group.forkServer("mock-upstream", []);
    const upstream = `http://127.0.0.1:${mock.port}/v1`;
    const proxyPort = await freePort();
    const proxyDir = path.join(workDir, "minimal-proxy");
    const switchyardDir = path.join(workDir, "switchyard");
    await Promise.all([mkdir(proxyDir), mkdir(switchyardDir)]);
    const plain = { "content-type": "application/json" };
    const proxy = await measure(
      "minimal-proxy",
      ["--import", "tsx", "bench/minimal-proxy-main.ts", upstream, String(proxyPort)],
      proxyDir,
      `http://127.0.0.1:${proxyPort}/v1/chat/completions`,
      plain,
      {},
    );
    const port = await freePort();
    const configFile = path.join(switchyardDir, "bench.yaml");
    await writeFile(
      configFile,
      [
        `server: { host: 127.0.0.1, port: ${port} }`,
        `storage: { url: ${JSON.stringify(`sqlite:${path.join(switchyardDir, "bench.db")}`)} }`,
        `providers: [{ name: mock, type: openai-compatible, baseUrl: "${upstream}", apiKey: mock-key }]`,
        `models: [{ name: ${benchModel}, targets: [{ provider: mock, model: ${benchModel} }] }]`,
        "",
      ].join("\n"),
    );
    const masterKey = `sy-${randomBytes(32).toString("base64url")}`;
    const switchyard = await measure(
      "switchyard",
      [
        "bin/switchyard.js",
        "serve",
        "--config",
        configFile,
        "--data-dir",
        switchyardDir,
        "--port",
        String(port),
      ],
      switchyardDir,
      `http://127.0.0.1:${port}/v1/chat/completions`,
      { ...plain, authorization: `Bearer ${masterKey}` },
      { SWITCHYARD_MASTER_KEY: masterKey, SWITCHYARD_LOG_LEVEL: "warn" },
    );
    const perRequest = (measured: Measured) => measured.instructions / measured.ok;
    console.log("| server | measured 2xx | user-space instructions per request |");
    console.log("|---|---:|---:|");
    for (const measured of [proxy, switchyard]) {
      console.log(
        `| ${measured.name} | ${measured.ok} / ${measuredRequests} | ${(perRequest(measured) / 1e6).toFixed(3)} M |`,
      );
    }
    console.log(
      `Switchyard / minimal proxy instructions per request: **${(perRequest(switchyard) / perRequest(proxy)).toFixed(2)}x**`,
    );
  } finally {
    await group.stopAll();
    await rm(workDir, { recursive: true, force: true });
  }
}

await main();
