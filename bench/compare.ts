import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Agent, request } from "undici";
import { benchConfig } from "./bench-config.js";
import { mainThreadCpuMs, processCpuMs } from "./load.js";
import { chatRequestBody } from "./mock-upstream.js";
import { freePort, ProcessGroup } from "./processes.js";

/**
 * Same-run A/B of servers: `npm run bench:compare -- minimal switchyard switchyard@../other-checkout
 * switchyard+NAME=value`. Every variant gets the same load (32 connections of the bench's chat request, from
 * this process) in short slices that take turns, order rotating each round, so a machine whose speed drifts
 * (a shared VM drifts by 2x within minutes) slows all variants alike. It prints each variant's throughput
 * against the first one and its CPU per request: the main thread (the event loop, the usual bottleneck) and
 * the whole process (worker threads and GC helpers too). Differences under ~5 % are within its noise here: two
 * identical processes measured 103 and 108 µs.
 */

interface Variant {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

interface Tally {
  ok: number;
  failed: number;
  elapsedMs: number;
  mainCpuMs: number;
  processCpuMs: number;
  readonly ratesPerSlice: number[];
}

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
/**
 * `undici`: load from this process in short slices (fine-grained, but its client costs CPU on the same two cores,
 * which flatters the ratio against the minimal proxy). `autocannon`: each slice is a fresh autocannon child after
 * 0.5 s of warm-up, exactly as `npm run bench` loads (new connections every slice).
 */
const client = process.env.COMPARE_CLIENT ?? "undici";
if (client !== "undici" && client !== "autocannon") throw new Error("COMPARE_CLIENT is undici or autocannon");
const seconds = Number(process.env.COMPARE_SECONDS ?? (client === "autocannon" ? 120 : 60));
const sliceMs = Number(process.env.COMPARE_SLICE_MS ?? (client === "autocannon" ? 3000 : 300));
const connections = Number(process.env.COMPARE_CONNECTIONS ?? 32);
const warmupMs = 3000;
/**
 * Idle time after each measured slice whose CPU still counts as the slice's: work a variant defers past its slice
 * (the request log writes its batches on a timer) then runs on its own account, not during another variant's
 * slice. 0 (the default) measures the slice alone.
 */
const drainMs = Number(process.env.COMPARE_DRAIN_MS ?? 0);

/**
 * `switchyard@ROOT+A=1+B=2`: the checkout to run (default this one) and extra environment variables; the
 * pseudo-variable `NODE_ARGS` gives node flags instead (space-separated), for V8 flags NODE_OPTIONS refuses.
 */
function parseSwitchyardSpec(spec: string): {
  root: string;
  env: Record<string, string>;
  nodeArgs: string[];
} {
  const [head = "", ...pairs] = spec.split("+");
  const at = head.indexOf("@");
  const root = at < 0 ? repoRoot : path.resolve(head.slice(at + 1));
  const env: Record<string, string> = {};
  const nodeArgs: string[] = [];
  for (const pair of pairs) {
    const equals = pair.indexOf("=");
    if (equals < 1) throw new Error(`expected NAME=value after '+' in ${spec}`);
    const name = pair.slice(0, equals);
    const value = pair.slice(equals + 1);
    if (name === "NODE_ARGS") nodeArgs.push(...value.split(" ").filter(Boolean));
    else env[name] = value;
  }
  return { root, env, nodeArgs };
}

async function startVariants(
  group: ProcessGroup,
  specs: readonly string[],
  workDir: string,
): Promise<Variant[]> {
  const mock = await group.forkServer("mock-upstream", []);
  const masterKey = `sy-${randomBytes(32).toString("base64url")}`;
  const variants: Variant[] = [];
  for (const [index, spec] of specs.entries()) {
    const chatPath = "/v1/chat/completions";
    if (spec === "minimal") {
      const proxy = await group.forkServer("minimal-proxy", [`http://127.0.0.1:${mock.port}/v1`]);
      variants.push({
        name: spec,
        pid: proxy.pid,
        url: `http://127.0.0.1:${proxy.port}${chatPath}`,
        headers: {},
      });
      continue;
    }
    if (spec !== "switchyard" && !spec.startsWith("switchyard@") && !spec.startsWith("switchyard+"))
      throw new Error(
        `unknown variant ${spec}: use minimal, switchyard, switchyard@ROOT, switchyard+NAME=value`,
      );
    const { root, env, nodeArgs } = parseSwitchyardSpec(spec);
    const dataDir = path.join(workDir, `variant-${index}`);
    await mkdir(dataDir);
    const port = await freePort();
    const configFile = path.join(dataDir, "bench.yaml");
    await writeFile(configFile, benchConfig(mock.port, dataDir, port));
    const server = await group.startSwitchyard({
      repoRoot: root,
      configFile,
      dataDir,
      port,
      masterKey,
      nodeArgs,
      env,
    });
    variants.push({
      name: spec,
      pid: server.pid,
      url: `http://127.0.0.1:${port}${chatPath}`,
      headers: { authorization: `Bearer ${masterKey}` },
    });
  }
  return variants;
}

/** One autocannon child against one variant, as `npm run bench` runs a slice. */
async function runCannonSlice(
  group: ProcessGroup,
  variant: Variant,
  tally: Tally | undefined,
): Promise<void> {
  const answer = await group.runLoadChild({
    kind: "load",
    job: {
      url: variant.url,
      serverPid: variant.pid,
      connections,
      warmupS: 0.5,
      durationS: sliceMs / 1000,
      headers: { "content-type": "application/json", ...variant.headers },
      body: chatRequestBody,
    },
  });
  if (answer.kind !== "load-result")
    throw new Error(`load child for ${variant.name}: ${JSON.stringify(answer)}`);
  if (tally === undefined) return;
  const drained = await drain(variant);
  const slice = answer.slice;
  tally.mainCpuMs += drained.mainCpuMs;
  tally.processCpuMs += drained.processCpuMs;
  tally.ok += slice.ok;
  tally.failed += slice.non2xx + slice.errors + slice.timeouts + slice.badBodies;
  tally.elapsedMs += slice.durationS * 1000;
  tally.mainCpuMs += slice.serverMainCpuMs ?? 0;
  tally.processCpuMs += slice.serverCpuMs ?? 0;
  tally.ratesPerSlice.push(slice.ok / (slice.durationS * 1000));
}

/** `connections` request loops against one variant until the slice ends. */
async function runSlice(variant: Variant, dispatcher: Agent, tally: Tally | undefined): Promise<void> {
  const ends = performance.now() + sliceMs;
  const cpuBefore = cpuOf(variant);
  const began = performance.now();
  let ok = 0;
  let failed = 0;
  const loop = async () => {
    while (performance.now() < ends) {
      try {
        const response = await request(variant.url, {
          method: "POST",
          dispatcher,
          headers: { "content-type": "application/json", ...variant.headers },
          body: chatRequestBody,
        });
        await response.body.arrayBuffer();
        if (response.statusCode === 200) ok += 1;
        else failed += 1;
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  if (tally === undefined) return;
  const elapsedMs = performance.now() - began;
  tally.elapsedMs += elapsedMs;
  const used = cpuSince(variant, cpuBefore);
  const drained = await drain(variant);
  tally.mainCpuMs += used.mainCpuMs + drained.mainCpuMs;
  tally.processCpuMs += used.processCpuMs + drained.processCpuMs;
  tally.ok += ok;
  tally.failed += failed;
  tally.ratesPerSlice.push(ok / elapsedMs);
}

interface CpuReading {
  readonly mainCpuMs: number;
  readonly processCpuMs: number;
}

/** The variant's CPU so far: its main thread, and the whole process. */
function cpuOf(variant: Variant): CpuReading {
  return { mainCpuMs: mainThreadCpuMs(variant.pid) ?? 0, processCpuMs: processCpuMs(variant.pid) ?? 0 };
}

/** The CPU the variant used since `before` was read. */
function cpuSince(variant: Variant, before: CpuReading): CpuReading {
  const now = cpuOf(variant);
  return {
    mainCpuMs: now.mainCpuMs - before.mainCpuMs,
    processCpuMs: now.processCpuMs - before.processCpuMs,
  };
}

/** Waits `drainMs` after a slice; the CPU the variant used meanwhile (zero when there is no drain). */
async function drain(variant: Variant): Promise<CpuReading> {
  if (drainMs <= 0) return { mainCpuMs: 0, processCpuMs: 0 };
  const before = cpuOf(variant);
  await new Promise((resolve) => setTimeout(resolve, drainMs));
  return cpuSince(variant, before);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const specs = process.argv.slice(2);
  if (specs.length < 2) throw new Error("name at least two variants, e.g. minimal switchyard");
  const group = new ProcessGroup();
  const workDir = await mkdtemp(path.join(os.tmpdir(), "switchyard-compare-"));
  try {
    const variants = await startVariants(group, specs, workDir);
    const dispatchers = variants.map(() => new Agent({ connections, keepAliveTimeout: 60_000 }));
    const tallies: Tally[] = variants.map(() => ({
      ok: 0,
      failed: 0,
      elapsedMs: 0,
      mainCpuMs: 0,
      processCpuMs: 0,
      ratesPerSlice: [],
    }));
    const slice = (turn: number, tally: Tally | undefined) =>
      client === "autocannon"
        ? runCannonSlice(group, variants[turn] as Variant, tally)
        : runSlice(variants[turn] as Variant, dispatchers[turn] as Agent, tally);
    const warmupEnds = performance.now() + warmupMs;
    for (let index = 0; index < variants.length || performance.now() < warmupEnds; index += 1) {
      await slice(index % variants.length, undefined);
    }
    const ends = performance.now() + seconds * 1000;
    for (let round = 0; performance.now() < ends; round += 1) {
      for (let offset = 0; offset < variants.length; offset += 1) {
        const turn = (round + offset) % variants.length;
        await slice(turn, tallies[turn]);
      }
    }
    const base = tallies[0] as Tally;
    const baseRate = base.ok / base.elapsedMs;
    console.log(
      "| variant | req/s | ratio | median round ratio | main-thread CPU µs/req | process CPU µs/req | failed |",
    );
    console.log("|---|---:|---:|---:|---:|---:|---:|");
    for (const [index, variant] of variants.entries()) {
      const tally = tallies[index] as Tally;
      const rate = tally.ok / tally.elapsedMs;
      const roundRatios = tally.ratesPerSlice.map(
        (value, slice) => value / (base.ratesPerSlice[slice] ?? Number.NaN),
      );
      const perRequest = (cpuMs: number) => ((cpuMs * 1000) / tally.ok).toFixed(1);
      console.log(
        `| ${variant.name} | ${(rate * 1000).toFixed(0)} | ${(rate / baseRate).toFixed(3)} | ${median(roundRatios).toFixed(3)} | ${perRequest(tally.mainCpuMs)} | ${perRequest(tally.processCpuMs)} | ${tally.failed} |`,
      );
    }
    console.log(
      `${base.ratesPerSlice.length} rounds of ${sliceMs} ms slices${drainMs > 0 ? ` (each followed by ${drainMs} ms of drain, its CPU counted)` : ""}, ${connections} connections, ${client} client.`,
    );
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.close()));
  } finally {
    await group.stopAll();
    await rm(workDir, { recursive: true, force: true });
  }
}

await main();
