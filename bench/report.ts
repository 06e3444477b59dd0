import type { LoadSlice, StreamSlice } from "./load.js";
import { concat, type Percentiles, percentiles } from "./percentiles.js";
import {
  type GatewayAddition,
  type PacedStreamSettings,
  type PacedStreamSummary,
  renderPacedStreams,
} from "./stream-report.js";

export { type Percentiles, percentiles };

/**
 * `switchyard-traced`: the same Switchyard with OpenTelemetry tracing on, exporting to a no-op OTLP sink.
 * `switchyard-anthropic`: Anthropic Messages in, translated to the same OpenAI-dialect mock upstream.
 */
export type TargetName =
  | "direct"
  | "minimal-proxy"
  | "switchyard"
  | "switchyard-traced"
  | "switchyard-anthropic";

export interface CaseSummary
  extends Pick<
    LoadSlice,
    "ok" | "non2xx" | "errors" | "timeouts" | "badBodies" | "statusCodes" | "durationS"
  > {
  readonly target: TargetName;
  readonly connections: number;
  /** 2xx responses per second over all rounds. */
  readonly rps: number;
  readonly latencyMs: Percentiles;
  /** Switchyard's own `x-switchyard-overhead-ms` header, when collected. */
  readonly overheadHeaderMs?: Percentiles;
  /** Server CPU (user + system, all threads) per 2xx response, in µs; undefined where /proc is missing. */
  readonly serverCpuUsPerRequest: number | undefined;
  /** The same per round; empty where /proc is missing. Tells a round the server spent more CPU in from one it got less. */
  readonly roundCpuUsPerRequest: readonly number[];
  readonly roundRps: readonly number[];
  readonly roundP50Ms: readonly number[];
}

export interface StreamSummary {
  readonly target: TargetName;
  readonly ok: number;
  readonly failed: number;
  readonly durationS: number;
  /** Server CPU (all threads) per complete stream, in µs; undefined where /proc is missing. */
  readonly serverCpuUsPerStream: number | undefined;
  readonly ttfbMs: Percentiles;
  readonly totalMs: Percentiles;
  readonly roundTtfbP50Ms: readonly number[];
}

export interface Ratio {
  readonly name: string;
  readonly value: number;
  readonly unit: "x" | "µs";
  /** The same figure from each interleaved round alone: its spread shows how steady the machine was. */
  readonly rounds: readonly number[];
  /** Absent for figures reported for information only. */
  readonly target?: { readonly op: ">=" | "<="; readonly value: number };
}

export interface BenchReport {
  readonly date: string;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly node: string;
    readonly platform: string;
    /** 1-minute load average when the run began: other work on the machine makes every figure noisier. */
    readonly loadAverageAtStart: number;
  };
  readonly settings: {
    readonly warmupS: number;
    /** Unmeasured rounds of all targets in turn, `warmupS` each, before the measured rounds of every case. */
    readonly warmupRounds: number;
    readonly durationS: number;
    readonly rounds: number;
    /** Processes of the minimal proxy and of Switchyard each; round `r` is served by process `r mod processes`. */
    readonly processes: number;
    readonly cpuProfile: boolean;
  };
  readonly cases: readonly CaseSummary[];
  readonly streams: readonly StreamSummary[];
  /** The paced streaming case (time to first token and inter-chunk gaps); empty with `BENCH_STREAM=0`. */
  readonly pacedStreams: readonly PacedStreamSummary[];
  readonly pacedStreamSettings: PacedStreamSettings;
  /** What each gateway target adds over direct in the paced case (the figures the issue asks for). */
  readonly pacedStreamAdditions: readonly GatewayAddition[];
  readonly ratios: readonly Ratio[];
  /** Anything that makes the figures untrustworthy: errors, non-2xx, wrong bodies. Empty on a clean run. */
  readonly problems: readonly string[];
  /** What Switchyard logged at warn or above (it runs with SWITCHYARD_LOG_LEVEL=warn), grouped. */
  readonly switchyardLogged: readonly string[];
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

export function summarizeCase(
  target: TargetName,
  connections: number,
  slices: readonly LoadSlice[],
): CaseSummary {
  const statusCodes: Record<string, number> = {};
  for (const slice of slices) {
    for (const [code, count] of Object.entries(slice.statusCodes))
      statusCodes[code] = (statusCodes[code] ?? 0) + count;
  }
  const ok = sum(slices.map((slice) => slice.ok));
  const durationS = sum(slices.map((slice) => slice.durationS));
  const headerValues = concat(slices.map((slice) => slice.headerValues));
  const cpuMs = slices.map((slice) => slice.serverCpuMs).filter((value) => value !== undefined);
  const serverCpuUsPerRequest = cpuMs.length === slices.length ? (sum(cpuMs) * 1000) / ok : undefined;
  return {
    target,
    connections,
    ok,
    non2xx: sum(slices.map((slice) => slice.non2xx)),
    errors: sum(slices.map((slice) => slice.errors)),
    timeouts: sum(slices.map((slice) => slice.timeouts)),
    badBodies: sum(slices.map((slice) => slice.badBodies)),
    statusCodes,
    durationS,
    rps: ok / durationS,
    latencyMs: percentiles(concat(slices.map((slice) => slice.latenciesMs))),
    ...(headerValues.length > 0 ? { overheadHeaderMs: percentiles(headerValues) } : {}),
    serverCpuUsPerRequest,
    roundCpuUsPerRequest:
      cpuMs.length === slices.length
        ? slices.map((slice) => ((slice.serverCpuMs ?? 0) * 1000) / Math.max(1, slice.ok))
        : [],
    roundRps: slices.map((slice) => slice.ok / slice.durationS),
    roundP50Ms: slices.map((slice) => percentiles(slice.latenciesMs).p50),
  };
}

export function summarizeStream(target: TargetName, slices: readonly StreamSlice[]): StreamSummary {
  const ok = sum(slices.map((slice) => slice.ok));
  const cpuMs = slices.map((slice) => slice.serverCpuMs).filter((value) => value !== undefined);
  return {
    target,
    ok,
    serverCpuUsPerStream: cpuMs.length === slices.length && ok > 0 ? (sum(cpuMs) * 1000) / ok : undefined,
    failed: sum(slices.map((slice) => slice.failed)),
    durationS: sum(slices.map((slice) => slice.durationS)),
    ttfbMs: percentiles(concat(slices.map((slice) => slice.ttfbMs))),
    totalMs: percentiles(concat(slices.map((slice) => slice.totalMs))),
    roundTtfbP50Ms: slices.map((slice) => percentiles(slice.ttfbMs).p50),
  };
}

const pairwise = (a: readonly number[], b: readonly number[], combine: (x: number, y: number) => number) =>
  a.map((x, index) => combine(x, b[index] ?? Number.NaN));
const ratioOf = (x: number, y: number) => x / y;
const microsBetween = (x: number, y: number) => (x - y) * 1000;

/** The rounds of process `index` of `processes` (round `r` is served by process `r mod processes`). */
const roundsOfProcess = (values: readonly number[], index: number, processes: number) =>
  values.filter((_, round) => round % processes === index);

export function computeRatios(
  cases: readonly CaseSummary[],
  streams: readonly StreamSummary[],
  processes = 1,
): Ratio[] {
  const find = (target: TargetName, connections: number) =>
    cases.find((entry) => entry.target === target && entry.connections === connections);
  const ratios: Ratio[] = [];
  const throughput = (
    name: string,
    a: CaseSummary | undefined,
    b: CaseSummary | undefined,
    goal?: number,
  ) => {
    if (a === undefined || b === undefined) return;
    ratios.push({
      name,
      value: a.rps / b.rps,
      unit: "x",
      rounds: pairwise(a.roundRps, b.roundRps, ratioOf),
      ...(goal === undefined ? {} : { target: { op: ">=", value: goal } }),
    });
  };
  const p50Gap = (name: string, a: CaseSummary | undefined, b: CaseSummary | undefined, goal?: number) => {
    if (a === undefined || b === undefined) return;
    ratios.push({
      name,
      value: microsBetween(a.latencyMs.p50, b.latencyMs.p50),
      unit: "µs",
      rounds: pairwise(a.roundP50Ms, b.roundP50Ms, microsBetween),
      ...(goal === undefined ? {} : { target: { op: "<=", value: goal } }),
    });
  };
  throughput(
    "Switchyard / minimal proxy throughput, 32 conns",
    find("switchyard", 32),
    find("minimal-proxy", 32),
    0.8,
  );
  const gateway32 = find("switchyard", 32);
  const proxy32 = find("minimal-proxy", 32);
  if (processes > 1 && gateway32 !== undefined && proxy32 !== undefined) {
    // Slices are equally long, so a pair's throughput ratio is the ratio of its rounds' summed rates.
    for (let index = 0; index < processes; index++) {
      const gatewayRounds = roundsOfProcess(gateway32.roundRps, index, processes);
      const proxyRounds = roundsOfProcess(proxy32.roundRps, index, processes);
      if (gatewayRounds.length === 0) continue;
      ratios.push({
        name: `Switchyard #${index + 1} / minimal proxy #${index + 1} throughput, 32 conns`,
        value: sum(gatewayRounds) / sum(proxyRounds),
        unit: "x",
        rounds: pairwise(gatewayRounds, proxyRounds, ratioOf),
      });
    }
  }
  p50Gap("Switchyard − minimal proxy p50, 1 conn", find("switchyard", 1), find("minimal-proxy", 1), 150);
  const cpuGateway = find("switchyard", 32)?.serverCpuUsPerRequest;
  const cpuProxy = find("minimal-proxy", 32)?.serverCpuUsPerRequest;
  if (cpuGateway !== undefined && cpuProxy !== undefined) {
    ratios.push({
      name: "Switchyard / minimal proxy server CPU per request, 32 conns",
      value: cpuGateway / cpuProxy,
      unit: "x",
      rounds: pairwise(
        find("switchyard", 32)?.roundCpuUsPerRequest ?? [],
        find("minimal-proxy", 32)?.roundCpuUsPerRequest ?? [],
        ratioOf,
      ),
    });
  }
  throughput(
    "Switchyard traced / untraced throughput, 32 conns",
    find("switchyard-traced", 32),
    find("switchyard", 32),
  );
  p50Gap("Switchyard traced − untraced p50, 1 conn", find("switchyard-traced", 1), find("switchyard", 1));
  const cpuTraced = find("switchyard-traced", 32)?.serverCpuUsPerRequest;
  if (cpuTraced !== undefined && cpuGateway !== undefined) {
    ratios.push({
      name: "Switchyard traced / untraced server CPU per request, 32 conns",
      value: cpuTraced / cpuGateway,
      unit: "x",
      rounds: [],
    });
  }
  throughput("Switchyard / direct throughput, 32 conns", find("switchyard", 32), find("direct", 32));
  throughput("Minimal proxy / direct throughput, 32 conns", find("minimal-proxy", 32), find("direct", 32));
  throughput("Switchyard / direct throughput, 1 conn", find("switchyard", 1), find("direct", 1));
  p50Gap("Switchyard − direct p50, 1 conn", find("switchyard", 1), find("direct", 1));
  p50Gap("Minimal proxy − direct p50, 1 conn", find("minimal-proxy", 1), find("direct", 1));
  throughput(
    "Anthropic-inbound (translated) / OpenAI passthrough throughput, 32 conns",
    find("switchyard-anthropic", 32),
    find("switchyard", 32),
  );
  p50Gap(
    "Anthropic-inbound (translated) − OpenAI passthrough p50, 1 conn",
    find("switchyard-anthropic", 1),
    find("switchyard", 1),
  );
  const streamCpu = (target: TargetName) =>
    streams.find((entry) => entry.target === target)?.serverCpuUsPerStream;
  const gatewayStreamCpu = streamCpu("switchyard");
  const proxyStreamCpu = streamCpu("minimal-proxy");
  if (gatewayStreamCpu !== undefined && proxyStreamCpu !== undefined) {
    ratios.push({
      name: "Switchyard / minimal proxy server CPU per stream, 1 conn",
      value: gatewayStreamCpu / proxyStreamCpu,
      unit: "x",
      rounds: [],
    });
  }
  const streamDirect = streams.find((entry) => entry.target === "direct");
  for (const target of ["minimal-proxy", "switchyard", "switchyard-anthropic"] as const) {
    const through = streams.find((entry) => entry.target === target);
    if (through === undefined || streamDirect === undefined) continue;
    ratios.push({
      name: `Streaming TTFB p50, ${target} − direct, 1 conn`,
      value: microsBetween(through.ttfbMs.p50, streamDirect.ttfbMs.p50),
      unit: "µs",
      rounds: pairwise(through.roundTtfbP50Ms, streamDirect.roundTtfbP50Ms, microsBetween),
    });
  }
  return ratios;
}

export function findProblems(cases: readonly CaseSummary[], streams: readonly StreamSummary[]): string[] {
  const problems: string[] = [];
  for (const entry of cases) {
    const label = `${entry.target} @ ${entry.connections} conn`;
    if (entry.ok === 0) problems.push(`${label}: no successful response`);
    if (entry.non2xx > 0)
      problems.push(`${label}: ${entry.non2xx} non-2xx (${JSON.stringify(entry.statusCodes)})`);
    if (entry.errors > 0) problems.push(`${label}: ${entry.errors} errors (${entry.timeouts} timeouts)`);
    if (entry.badBodies > 0) problems.push(`${label}: ${entry.badBodies} 2xx responses without usage`);
  }
  for (const entry of streams) {
    if (entry.ok === 0) problems.push(`${entry.target} stream: no successful stream`);
    if (entry.failed > 0)
      problems.push(`${entry.target} stream: ${entry.failed} failed or truncated streams`);
  }
  return problems;
}

const ms = (value: number) => value.toFixed(3);
const cpu = (value: number | undefined) => (value === undefined ? "n/a" : value.toFixed(0));
const formatValue = (value: number, unit: Ratio["unit"]) =>
  unit === "x" ? `${value.toFixed(2)}x` : `${Math.round(value)} µs`;

function formatRatio(ratio: Ratio): string {
  const notes: string[] = [];
  if (ratio.target !== undefined) {
    const { op, value: goal } = ratio.target;
    const met = op === ">=" ? ratio.value >= goal : ratio.value <= goal;
    notes.push(`target ${op} ${formatValue(goal, ratio.unit)}: ${met ? "met" : "MISSED"}`);
  }
  if (ratio.rounds.length > 1) {
    notes.push(`rounds ${ratio.rounds.map((round) => formatValue(round, ratio.unit)).join(", ")}`);
  }
  const suffix = notes.length > 0 ? ` (${notes.join("; ")})` : "";
  return `- ${ratio.name}: **${formatValue(ratio.value, ratio.unit)}**${suffix}`;
}

function warmUpText(rounds: number, seconds: number): string {
  return rounds === 0
    ? `warm-up ${seconds} s per target`
    : `${rounds} warm-up round(s) of ${seconds} s per target`;
}

function processesText(processes: number): string {
  return processes === 1
    ? "one process per target"
    : `${processes} processes each of the minimal proxy and of Switchyard, taking the rounds in turn`;
}

export function renderMarkdown(report: BenchReport): string {
  const { machine, settings } = report;
  const lines = [
    ...(report.problems.length > 0 ? ["**!!! THIS RUN HAD ERRORS — see the end !!!**", ""] : []),
    `Run ${report.date} on ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node} (${machine.platform}); ` +
      `${warmUpText(settings.warmupRounds, settings.warmupS)}, ${settings.durationS} s measured per case in ${settings.rounds} ` +
      `interleaved round(s), ${processesText(settings.processes)}${settings.cpuProfile ? "; PROFILING (--cpu-prof) — figures are skewed" : ""}.`,
    ...(machine.loadAverageAtStart > 0.5
      ? [
          "",
          `Note: the machine was not idle at the start (load average ${machine.loadAverageAtStart.toFixed(2)}); ` +
            "compare the per-round figures below before trusting a ratio.",
        ]
      : []),
    "",
    "| target | conns | req/s | p50 ms | p90 ms | p99 ms | server CPU µs/req | 2xx | non-2xx | errors |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const entry of report.cases) {
    lines.push(
      `| ${entry.target} | ${entry.connections} | ${Math.round(entry.rps)} | ${ms(entry.latencyMs.p50)} | ` +
        `${ms(entry.latencyMs.p90)} | ${ms(entry.latencyMs.p99)} | ${cpu(entry.serverCpuUsPerRequest)} | ` +
        `${entry.ok} | ${entry.non2xx} | ${entry.errors} |`,
    );
  }
  const withHeader = report.cases.filter((entry) => entry.overheadHeaderMs !== undefined);
  if (withHeader.length > 0) {
    lines.push("", "What Switchyard reports about itself in `x-switchyard-overhead-ms`:", "");
    for (const entry of withHeader) {
      const overhead = entry.overheadHeaderMs;
      if (overhead === undefined) continue;
      lines.push(
        `- ${entry.target}, ${entry.connections} conn: p50 ${ms(overhead.p50)} ms, p99 ${ms(overhead.p99)} ms`,
      );
    }
  }
  if (report.streams.length > 0) {
    lines.push(
      "",
      "Streaming (SSE, 1 connection, sequential; TTFB = request start to first body byte):",
      "",
      "| target | streams | TTFB p50 ms | TTFB p99 ms | total p50 ms | server CPU µs/stream | failed |",
      "|---|---:|---:|---:|---:|---:|---:|",
    );
    for (const entry of report.streams) {
      lines.push(
        `| ${entry.target} | ${entry.ok} | ${ms(entry.ttfbMs.p50)} | ${ms(entry.ttfbMs.p99)} | ` +
          `${ms(entry.totalMs.p50)} | ${cpu(entry.serverCpuUsPerStream)} | ${entry.failed} |`,
      );
    }
  }
  lines.push(...renderPacedStreams(report.pacedStreams, report.pacedStreamSettings));
  lines.push("", "Ratios (same run):", "", ...report.ratios.map(formatRatio));
  if (report.switchyardLogged.length > 0) {
    lines.push(
      "",
      "Switchyard logged at warn or above:",
      "",
      ...report.switchyardLogged.map((line) => `- ${line}`),
    );
  }
  if (report.problems.length > 0) {
    lines.push(
      "",
      "**!!! THIS RUN HAD ERRORS — THE FIGURES ABOVE ARE NOT TRUSTWORTHY !!!**",
      "",
      ...report.problems.map((problem) => `- ${problem}`),
    );
  }
  return lines.join("\n");
}
