import type { PacedStreamSlice } from "./paced-stream-load.js";
import { concat, type Percentiles, percentiles } from "./percentiles.js";

/**
 * The paced streaming case: `direct` reads the paced mock itself, `switchyard` through OpenAI passthrough,
 * `switchyard-anthropic` as an Anthropic client translated to the same OpenAI-dialect mock.
 */
export type PacedTarget = "direct" | "switchyard" | "switchyard-anthropic";

export interface PacedStreamSettings {
  readonly contentChunks: number;
  readonly gapMs: number;
  readonly connections: number;
}

export interface PacedStreamSummary {
  readonly target: PacedTarget;
  readonly ok: number;
  readonly failed: number;
  readonly durationS: number;
  /** Request start to first content event, per stream. */
  readonly ttftMs: Percentiles;
  /** Every gap between consecutive content events. */
  readonly gapMs: Percentiles;
  readonly roundTtftP50Ms: readonly number[];
  readonly roundGapP99Ms: readonly number[];
}

/** What a gateway target adds over direct, in µs: differences of the same percentile. */
export interface GatewayAddition {
  readonly target: Exclude<PacedTarget, "direct">;
  readonly ttftP50Us: number;
  readonly ttftP99Us: number;
  readonly gapP50Us: number;
  readonly gapP99Us: number;
  /** The TTFT p50 difference within each interleaved round alone: its spread shows how steady the machine was. */
  readonly roundTtftP50Us: readonly number[];
  readonly roundGapP99Us: readonly number[];
}

export function summarizePacedStream(
  target: PacedTarget,
  slices: readonly PacedStreamSlice[],
): PacedStreamSummary {
  const total = (pick: (slice: PacedStreamSlice) => number) =>
    slices.reduce((sum, slice) => sum + pick(slice), 0);
  return {
    target,
    ok: total((slice) => slice.ok),
    failed: total((slice) => slice.failed),
    durationS: total((slice) => slice.durationS),
    ttftMs: percentiles(concat(slices.map((slice) => slice.ttftMs))),
    gapMs: percentiles(concat(slices.map((slice) => slice.gapsMs))),
    roundTtftP50Ms: slices.map((slice) => percentiles(slice.ttftMs).p50),
    roundGapP99Ms: slices.map((slice) => percentiles(slice.gapsMs).p99),
  };
}

const microsOver = (through: number, direct: number) => (through - direct) * 1000;

/** Each gateway target against direct; none when direct is missing. */
export function addedByGateway(summaries: readonly PacedStreamSummary[]): GatewayAddition[] {
  const direct = summaries.find((entry) => entry.target === "direct");
  if (direct === undefined) return [];
  const additions: GatewayAddition[] = [];
  for (const entry of summaries) {
    if (entry.target === "direct") continue;
    additions.push({
      target: entry.target,
      ttftP50Us: microsOver(entry.ttftMs.p50, direct.ttftMs.p50),
      ttftP99Us: microsOver(entry.ttftMs.p99, direct.ttftMs.p99),
      gapP50Us: microsOver(entry.gapMs.p50, direct.gapMs.p50),
      gapP99Us: microsOver(entry.gapMs.p99, direct.gapMs.p99),
      roundTtftP50Us: entry.roundTtftP50Ms.map((value, index) =>
        microsOver(value, direct.roundTtftP50Ms[index] ?? Number.NaN),
      ),
      roundGapP99Us: entry.roundGapP99Ms.map((value, index) =>
        microsOver(value, direct.roundGapP99Ms[index] ?? Number.NaN),
      ),
    });
  }
  return additions;
}

export function pacedStreamProblems(summaries: readonly PacedStreamSummary[]): string[] {
  const problems: string[] = [];
  for (const entry of summaries) {
    if (entry.ok === 0) problems.push(`${entry.target} paced stream: no successful stream`);
    if (entry.failed > 0)
      problems.push(`${entry.target} paced stream: ${entry.failed} failed, truncated or incomplete streams`);
  }
  return problems;
}

const ms = (value: number) => value.toFixed(3);
const micros = (value: number) => `${value >= 0 ? "+" : "−"}${Math.abs(Math.round(value))} µs`;

export function renderPacedStreams(
  summaries: readonly PacedStreamSummary[],
  settings: PacedStreamSettings,
): string[] {
  if (summaries.length === 0) return [];
  const lines = [
    "",
    `Paced streaming (the mock sends ${settings.contentChunks} content chunks ${settings.gapMs} ms apart; ` +
      `${settings.connections} connection(s), sequential streams each; TTFT = request start to first content ` +
      "event; gap = between consecutive content events, as the client reads them):",
    "",
    "| target | streams | TTFT p50 ms | TTFT p99 ms | gap p50 ms | gap p99 ms | gap max ms | failed |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const entry of summaries) {
    lines.push(
      `| ${entry.target} | ${entry.ok} | ${ms(entry.ttftMs.p50)} | ${ms(entry.ttftMs.p99)} | ` +
        `${ms(entry.gapMs.p50)} | ${ms(entry.gapMs.p99)} | ${ms(entry.gapMs.max)} | ${entry.failed} |`,
    );
  }
  const additions = addedByGateway(summaries);
  if (additions.length > 0) lines.push("", "Added by the gateway (target − direct, same percentile):", "");
  for (const addition of additions) {
    const rounds =
      addition.roundTtftP50Us.length > 1
        ? ` (rounds: TTFT p50 ${addition.roundTtftP50Us.map(micros).join(", ")}; ` +
          `gap p99 ${addition.roundGapP99Us.map(micros).join(", ")})`
        : "";
    lines.push(
      `- ${addition.target}: TTFT p50 **${micros(addition.ttftP50Us)}**, p99 ${micros(addition.ttftP99Us)}; ` +
        `gap p50 **${micros(addition.gapP50Us)}**, p99 ${micros(addition.gapP99Us)}${rounds}`,
    );
  }
  return lines;
}
