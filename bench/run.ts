import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchConfig } from "./bench-config.js";
import type { LoadRequest } from "./child-protocol.js";
import type { LoadSlice, StreamSlice } from "./load.js";
import {
  anthropicRequestBody,
  anthropicStreamingRequestBody,
  chatRequestBody,
  streamingRequestBody,
} from "./mock-upstream.js";
import { runPacedStreamCase } from "./paced-stream-case.js";
import { freePort, ProcessGroup, type ServerChild } from "./processes.js";
import { summarizeCpuProfile } from "./profile-summary.js";
import {
  type BenchReport,
  type CaseSummary,
  computeRatios,
  findProblems,
  renderMarkdown,
  type StreamSummary,
  summarizeCase,
  summarizeStream,
  type TargetName,
} from "./report.js";
import { addedByGateway, pacedStreamProblems } from "./stream-report.js";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const resultsDir = path.join(repoRoot, "bench", "results");
const connectionCounts = [32, 1] as const;
const targetNames: readonly TargetName[] = [
  "direct",
  "minimal-proxy",
  "switchyard",
  "switchyard-traced",
  "switchyard-anthropic",
];
/** One process behind a target's URL, the pid for its CPU figures. */
interface Endpoint {
  readonly pid: number;
  readonly url: string;
}
/** Later rounds hit an already warm server; the fresh load child still needs its connections and JIT. */
const laterRoundWarmupS = 0.5;

function numberFromEnv(name: string, fallback: number, minimum: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < minimum)
    throw new Error(`${name} must be a number >= ${minimum}, got ${raw}`);
  return value;
}

const settings = {
  durationS: numberFromEnv("BENCH_DURATION_S", 18, 0.1),
  warmupS: numberFromEnv("BENCH_WARMUP_S", 2, 0),
  warmupRounds: Math.round(numberFromEnv("BENCH_WARMUP_ROUNDS", 2, 0)),
  rounds: Math.round(numberFromEnv("BENCH_ROUNDS", 6, 1)),
  processes: Math.round(numberFromEnv("BENCH_PROCESSES", 3, 1)),
  stream: process.env.BENCH_STREAM !== "0",
  cpuProfile: process.env.BENCH_CPU_PROF === "1",
  pacedStream: {
    contentChunks: Math.round(numberFromEnv("BENCH_STREAM_CHUNKS", 20, 2)),
    gapMs: numberFromEnv("BENCH_STREAM_GAP_MS", 5, 0),
    connections: Math.round(numberFromEnv("BENCH_STREAM_CONNECTIONS", 4, 1)),
  },
};

/** One request per target before any load, so a misconfiguration fails in a second, with the reason. */
async function checkTarget(
  name: TargetName,
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers,
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status !== 200 || !text.includes('"usage"')) {
    throw new Error(`${name} answered HTTP ${response.status} to the check request: ${text.slice(0, 500)}`);
  }
}

async function run(group: ProcessGroup, workDir: string, profileDir: string): Promise<BenchReport> {
  const loadAverageAtStart = os.loadavg()[0] ?? 0;
  const profileArgs = (name: string) =>
    settings.cpuProfile ? ["--cpu-prof", `--cpu-prof-dir=${path.join(profileDir, name)}`] : [];
  const mock = await group.forkServer("mock-upstream", []);
  const { contentChunks, gapMs } = settings.pacedStream;
  const paced = settings.stream
    ? await group.forkServer("mock-upstream", [String(contentChunks), String(gapMs)])
    : undefined;
  const proxies: ServerChild[] = [];
  for (let index = 0; index < settings.processes; index++) {
    proxies.push(
      await group.forkServer(
        "minimal-proxy",
        [`http://127.0.0.1:${mock.port}/v1`],
        profileArgs("minimal-proxy"),
      ),
    );
  }
  const masterKey = `sy-${randomBytes(32).toString("base64url")}`;
  /** A Switchyard in a data directory of its own; `tracesPort`: tracing on, exporting there. */
  const startGateway = async (name: string, tracesPort?: number): Promise<ServerChild> => {
    const dataDir = path.join(workDir, name);
    await mkdir(dataDir, { recursive: true });
    const port = await freePort();
    const configFile = path.join(dataDir, "bench.yaml");
    await writeFile(configFile, benchConfig(mock.port, dataDir, port, tracesPort, paced?.port));
    return group.startSwitchyard({
      repoRoot,
      configFile,
      dataDir,
      port,
      masterKey,
      nodeArgs: profileArgs(tracesPort === undefined ? "switchyard" : "switchyard-traced"),
    });
  };
  const gateways: ServerChild[] = [];
  for (let index = 0; index < settings.processes; index++)
    gateways.push(await startGateway(`switchyard-${index + 1}`));
  // The same gateway with tracing on, exporting to a no-op OTLP sink: one process, as it has no target.
  const sink = await group.forkServer("otlp-sink", []);
  const traced = await startGateway("traced", sink.port);

  const endpointsOf = (servers: readonly ServerChild[], route: string): Endpoint[] =>
    servers.map((server) => ({ pid: server.pid, url: `http://127.0.0.1:${server.port}${route}` }));
  const chatRoute = "/v1/chat/completions";
  const endpoints: Record<TargetName, readonly Endpoint[]> = {
    direct: endpointsOf([mock], chatRoute),
    "minimal-proxy": endpointsOf(proxies, chatRoute),
    switchyard: endpointsOf(gateways, chatRoute),
    "switchyard-traced": endpointsOf([traced], chatRoute),
    "switchyard-anthropic": endpointsOf(gateways, "/v1/messages"),
  };
  /** Round `r` of a target is served by its process `r mod N`, so every process gets its share of rounds. */
  const endpointFor = (target: TargetName, round: number): Endpoint => {
    const pool = endpoints[target];
    const endpoint = pool[round % pool.length];
    if (endpoint === undefined) throw new Error(`no process serves ${target}`);
    return endpoint;
  };
  const headers = { "content-type": "application/json", authorization: `Bearer ${masterKey}` };
  const isAnthropic = (target: TargetName) => target === "switchyard-anthropic";
  const headersFor = (target: TargetName) =>
    isAnthropic(target)
      ? { "content-type": "application/json", "x-api-key": masterKey, "anthropic-version": "2023-06-01" }
      : headers;
  const bodyFor = (target: TargetName) => (isAnthropic(target) ? anthropicRequestBody : chatRequestBody);
  for (const target of targetNames) {
    for (const endpoint of endpoints[target])
      await checkTarget(target, endpoint.url, headersFor(target), bodyFor(target));
  }

  const sliceS = settings.durationS / settings.rounds;
  const laterWarmupS = Math.min(settings.warmupS, laterRoundWarmupS);
  const firstSliceWarmupFor = (round: number) => (round === 0 ? settings.warmupS : laterWarmupS);
  // With warm-up rounds in front, every measured slice is a later one: the server has seen this load already.
  const warmupFor = settings.warmupRounds > 0 ? () => laterWarmupS : firstSliceWarmupFor;
  /**
   * Unmeasured rounds before the measured ones, each target in turn with a fresh client, as in the measured
   * rounds. One round is not enough for Switchyard: the end of a client (its in-flight requests cut off) and
   * the other dialect served by the same process (`switchyard-anthropic`) each send some of its optimized code
   * back to the interpreter, and V8 re-optimizes it during the next slices. Measured with
   * `--trace-opt --trace-deopt`, alternating 3 s slices of both dialects: 296 and 143 functions optimized in
   * the first round, 80 and 15 in the second, 3 and 1 in the third, none in the fourth.
   */
  const warmUp = async (label: string, jobFor: (target: TargetName, index: number) => LoadRequest) => {
    for (let round = 0; round < settings.warmupRounds; round++) {
      for (const target of targetNames) {
        for (let index = 0; index < endpoints[target].length; index++) {
          process.stderr.write(
            `… ${target} #${index + 1} ${label}, warm-up round ${round + 1}/${settings.warmupRounds}\n`,
          );
          const answer = await group.runLoadChild(jobFor(target, index));
          if (answer.kind === "failed") throw new Error(`warm-up load for ${target}: ${answer.message}`);
        }
      }
    }
  };
  // Targets take turns within each round, so a slow patch of a shared machine hits all of them alike.
  const cases: CaseSummary[] = [];
  for (const connections of connectionCounts) {
    const slices = new Map<TargetName, LoadSlice[]>(targetNames.map((target) => [target, []]));
    const loadJob = (target: TargetName, round: number, warmupS: number, durationS: number): LoadRequest => ({
      kind: "load",
      job: {
        url: endpointFor(target, round).url,
        serverPid: endpointFor(target, round).pid,
        connections,
        warmupS,
        durationS,
        headers: headersFor(target),
        body: bodyFor(target),
        ...(target.startsWith("switchyard") ? { sampleHeader: "x-switchyard-overhead-ms" } : {}),
      },
    });
    await warmUp(`@ ${connections} conn`, (target, index) => loadJob(target, index, 0, settings.warmupS));
    for (let round = 0; round < settings.rounds; round++) {
      for (const target of targetNames) {
        process.stderr.write(`… ${target} @ ${connections} conn, round ${round + 1}/${settings.rounds}\n`);
        const answer = await group.runLoadChild(loadJob(target, round, warmupFor(round), sliceS));
        if (answer.kind !== "load-result")
          throw new Error(`load child for ${target}: ${JSON.stringify(answer)}`);
        slices.get(target)?.push(answer.slice);
      }
    }
    for (const target of targetNames)
      cases.push(summarizeCase(target, connections, slices.get(target) ?? []));
  }

  const streams: StreamSummary[] = [];
  if (settings.stream) {
    const slices = new Map<TargetName, StreamSlice[]>(targetNames.map((target) => [target, []]));
    const streamJob = (
      target: TargetName,
      round: number,
      warmupS: number,
      durationS: number,
    ): LoadRequest => ({
      kind: "stream",
      job: {
        url: endpointFor(target, round).url,
        serverPid: endpointFor(target, round).pid,
        warmupS,
        durationS,
        headers: headersFor(target),
        body: isAnthropic(target) ? anthropicStreamingRequestBody : streamingRequestBody,
        ...(isAnthropic(target) ? { endMarker: 'data: {"type":"message_stop"}\n\n' } : {}),
      },
    });
    await warmUp("streaming", (target, index) => streamJob(target, index, 0, settings.warmupS));
    for (let round = 0; round < settings.rounds; round++) {
      for (const target of targetNames) {
        process.stderr.write(`… ${target} streaming, round ${round + 1}/${settings.rounds}\n`);
        const answer = await group.runLoadChild(streamJob(target, round, warmupFor(round), sliceS));
        if (answer.kind !== "stream-result")
          throw new Error(`stream child for ${target}: ${JSON.stringify(answer)}`);
        slices.get(target)?.push(answer.slice);
      }
    }
    for (const target of targetNames) streams.push(summarizeStream(target, slices.get(target) ?? []));
  }

  const pacedStreams =
    paced === undefined
      ? []
      : await runPacedStreamCase(group, {
          urlFor: (target, round) =>
            target === "direct"
              ? `http://127.0.0.1:${paced.port}${chatRoute}`
              : endpointFor(target, round).url,
          headersFor,
          warmupFor: firstSliceWarmupFor,
          sliceS,
          rounds: settings.rounds,
          pacing: settings.pacedStream,
        });

  for (const server of [...proxies, ...gateways, traced, sink]) await group.stop(server.child);
  const labelled = [
    ...gateways.map((gateway, index) => ({ gateway, label: `#${index + 1}` })),
    { gateway: traced, label: "traced" },
  ];
  const switchyardLogged = labelled.flatMap(({ gateway, label }) =>
    summarizeLogLines(group.outputOf(gateway.child)).map((line) => `${label}: ${line}`),
  );
  for (const { gateway, label } of labelled) {
    if (gateway.child.exitCode !== 0)
      process.stderr.write(`Switchyard ${label} exited with code ${gateway.child.exitCode}\n`);
  }

  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? "unknown",
      node: process.versions.node,
      platform: `${process.platform} ${os.release()}`,
      loadAverageAtStart,
    },
    settings: {
      warmupS: settings.warmupS,
      warmupRounds: settings.warmupRounds,
      durationS: settings.durationS,
      rounds: settings.rounds,
      processes: settings.processes,
      cpuProfile: settings.cpuProfile,
    },
    cases,
    streams,
    pacedStreams,
    pacedStreamSettings: settings.pacedStream,
    pacedStreamAdditions: addedByGateway(pacedStreams),
    ratios: computeRatios(cases, streams, settings.processes),
    problems: [...findProblems(cases, streams), ...pacedStreamProblems(pacedStreams)],
    switchyardLogged,
  };
}

/** Pino lines (of the last 200 kept) grouped by message and error, so a repeated complaint prints once with its count. */
function summarizeLogLines(output: string): string[] {
  const counts = new Map<string, number>();
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    let key = line.slice(0, 200);
    try {
      const entry = JSON.parse(line) as { level?: unknown; msg?: unknown; err?: { message?: unknown } };
      key = `level ${String(entry.level)}: ${String(entry.msg)}${entry.err ? ` (${String(entry.err.message)})` : ""}`;
    } catch {
      // not pino JSON: keep the raw start of the line
    }
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, count]) => `${count} × ${key}`);
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

async function renderProfiles(profileDir: string): Promise<string> {
  const lines: string[] = [];
  for (const name of ["switchyard", "switchyard-traced", "minimal-proxy"]) {
    const dir = path.join(profileDir, name);
    // Main thread only (CPU.<date>.<time>.<pid>.0.<seq>); tsx's loader thread writes its own, irrelevant one.
    const files = (await readdir(dir).catch(() => [])).filter((file) =>
      /\.\d+\.0\.\d+\.cpuprofile$/.test(file),
    );
    for (const file of files) {
      const summary = await summarizeCpuProfile(path.join(dir, file), repoRoot);
      lines.push(
        "",
        `${name}: ${summary.busyMs.toFixed(0)} ms busy (${path.relative(repoRoot, path.join(dir, file))})`,
        "",
        "| self ms | share | function | location |",
        "|---:|---:|---|---|",
        ...summary.functions.map(
          (entry) =>
            `| ${entry.selfMs.toFixed(0)} | ${percent(entry.share)} | ${entry.function} | ${entry.location} |`,
        ),
        "",
        "| self ms | share | origin |",
        "|---:|---:|---|",
        ...summary.origins.map(
          (entry) => `| ${entry.selfMs.toFixed(0)} | ${percent(entry.share)} | ${entry.origin} |`,
        ),
      );
    }
  }
  return lines.join("\n");
}

const group = new ProcessGroup();
const workDir = await mkdtemp(path.join(os.tmpdir(), "switchyard-bench-"));
const cleanUp = async () => {
  await group.stopAll();
  await rm(workDir, { recursive: true, force: true });
};
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    interrupted = true;
    cleanUp().finally(() => process.exit(130));
  });
}

try {
  const profileDir = path.join(resultsDir, "profiles", new Date().toISOString().replace(/[:.]/g, "-"));
  const report = await run(group, workDir, profileDir);
  await mkdir(resultsDir, { recursive: true });
  await writeFile(path.join(resultsDir, "latest.json"), `${JSON.stringify(report, null, 2)}\n`);
  const profiles = settings.cpuProfile ? await renderProfiles(profileDir) : "";
  process.stdout.write(
    `\n${renderMarkdown(report)}\n${profiles}\n\nRaw results: bench/results/latest.json\n`,
  );
  if (report.problems.length > 0) process.exitCode = 1;
} catch (error) {
  const reason = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(interrupted ? "bench interrupted\n" : `bench failed: ${reason}\n`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
