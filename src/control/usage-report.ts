import type { RequestLogRecord, RequestLogStore } from "../core/ports/request-log-store.js";

/** Dimensions a usage report groups by; `tag` splits by every tag pair, `tag:<name>` by one tag's value. */
export type ReportDimension =
  | "team"
  | "project"
  | "model"
  | "target"
  | "key"
  | "user"
  | "tag"
  | `tag:${string}`;

export interface UsageReportQuery {
  /** Epoch ms, inclusive. */
  readonly fromMs: number;
  /** Epoch ms, exclusive. */
  readonly toMs: number;
  readonly groupBy: readonly ReportDimension[];
  /** Only requests attributed to this team (by name); all teams when absent. */
  readonly team?: string;
}

export interface UsageReportRow {
  /** One value per `groupBy` dimension; `(none)` where the request had none. */
  readonly group: readonly string[];
  readonly requests: number;
  /** Requests answered with a status of 400 or more (client disconnects included). */
  readonly errors: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  readonly cacheWriteTokens: number;
  readonly reasoningTokens: number;
  /** Requests whose tokens the gateway estimated. */
  readonly estimatedRequests: number;
  readonly costUsd: number;
  readonly cacheSavingsUsd: number;
  /** Requests that could not be priced (unknown model or no usage). */
  readonly unpricedRequests: number;
  /** Nearest-rank 95th percentile of end-to-end latency. */
  readonly p95LatencyMs: number;
}

export interface UsageReport {
  readonly fromMs: number;
  readonly toMs: number;
  readonly groupBy: readonly ReportDimension[];
  /** Sorted by cost, highest first. */
  readonly rows: readonly UsageReportRow[];
  readonly total: UsageReportRow;
  /** Cost per UTC day over the range, for charts. */
  readonly dailyCostUsd: readonly { readonly day: string; readonly costUsd: number }[];
}

const none = "(none)";
const pageSize = 10_000;

interface Accumulator {
  group: string[];
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  estimatedRequests: number;
  costUsd: number;
  cacheSavingsUsd: number;
  unpricedRequests: number;
  latencies: number[];
}

export function parseReportDimensions(text: string): ReportDimension[] {
  const dimensions = text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  for (const dimension of dimensions) {
    if (!/^(team|project|model|target|key|user|tag|tag:[A-Za-z0-9_.:-]+)$/.test(dimension)) {
      throw new Error(
        `--group-by: unknown dimension ${dimension} (team, project, model, target, key, user, tag, tag:<name>)`,
      );
    }
  }
  return dimensions as ReportDimension[];
}

/** Reads the request log over the range page by page (never all rows at once) and aggregates it. */
export async function buildUsageReport(
  store: RequestLogStore,
  query: UsageReportQuery,
): Promise<UsageReport> {
  const groups = new Map<string, Accumulator>();
  const total = newAccumulator([]);
  const daily = new Map<string, number>();
  let after: { createdAt: number; id: string } | undefined;
  for (;;) {
    const page = await store.query({
      sinceMs: query.fromMs,
      untilMs: query.toMs,
      order: "asc",
      limit: pageSize,
      ...(query.team === undefined ? {} : { team: query.team }),
      ...(after === undefined ? {} : { after }),
    });
    for (const row of page) {
      add(total, row);
      const day = new Date(row.createdAt).toISOString().slice(0, 10);
      daily.set(day, (daily.get(day) ?? 0) + (row.costUsd ?? 0));
      for (const group of groupsOf(row, query.groupBy)) {
        const name = JSON.stringify(group);
        let accumulator = groups.get(name);
        if (accumulator === undefined) {
          accumulator = newAccumulator(group);
          groups.set(name, accumulator);
        }
        add(accumulator, row);
      }
    }
    const last = page[page.length - 1];
    if (last === undefined || page.length < pageSize) break;
    after = { createdAt: last.createdAt, id: last.id };
  }
  return {
    fromMs: query.fromMs,
    toMs: query.toMs,
    groupBy: query.groupBy,
    rows: [...groups.values()]
      .map(finish)
      .sort((a, b) => b.costUsd - a.costUsd || a.group.join().localeCompare(b.group.join())),
    total: finish(total),
    dailyCostUsd: [...daily]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, costUsd]) => ({ day, costUsd })),
  };
}

/** The groups a row counts in: one, or several when grouping by `tag` and it has several tags. */
function groupsOf(row: RequestLogRecord, dimensions: readonly ReportDimension[]): string[][] {
  let groups: string[][] = [[]];
  const tags = parseTags(row.tags ?? null);
  for (const dimension of dimensions) {
    const values = valuesOf(row, dimension, tags);
    groups = groups.flatMap((group) => values.map((value) => [...group, value]));
  }
  return groups;
}

function valuesOf(
  row: RequestLogRecord,
  dimension: ReportDimension,
  tags: ReadonlyMap<string, string>,
): string[] {
  switch (dimension) {
    case "team":
      return [row.team ?? none];
    case "project":
      return [row.project ?? none];
    case "model":
      return [row.modelRequested ?? none];
    case "target":
      return [row.target ?? none];
    case "key":
      return [row.keyId ?? "master"];
    case "user":
      // The end user as the request log keeps it: a hash, never the id itself.
      return [row.endUser ?? none];
    case "tag":
      return tags.size === 0 ? [none] : [...tags].map(([name, value]) => `${name}=${value}`);
    default:
      return [tags.get(dimension.slice("tag:".length)) ?? none];
  }
}

function parseTags(tags: string | null): Map<string, string> {
  const parsed = new Map<string, string>();
  if (tags === null || tags === "") return parsed;
  for (const pair of tags.split(",")) {
    const separator = pair.indexOf("=");
    if (separator > 0) parsed.set(pair.slice(0, separator), pair.slice(separator + 1));
  }
  return parsed;
}

function newAccumulator(group: string[]): Accumulator {
  return {
    group,
    requests: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    estimatedRequests: 0,
    costUsd: 0,
    cacheSavingsUsd: 0,
    unpricedRequests: 0,
    latencies: [],
  };
}

function add(accumulator: Accumulator, row: RequestLogRecord): void {
  accumulator.requests += 1;
  if (row.status >= 400) accumulator.errors += 1;
  accumulator.inputTokens += row.inputTokens ?? 0;
  accumulator.outputTokens += row.outputTokens ?? 0;
  accumulator.cachedTokens += row.cachedTokens ?? 0;
  accumulator.cacheWriteTokens += row.cacheWriteTokens ?? 0;
  accumulator.reasoningTokens += row.reasoningTokens ?? 0;
  if (row.usageEstimated === true) accumulator.estimatedRequests += 1;
  if (row.costUsd === null || row.costUsd === undefined) {
    if (row.status < 400) accumulator.unpricedRequests += 1;
  } else accumulator.costUsd += row.costUsd;
  accumulator.cacheSavingsUsd += row.cacheSavingsUsd ?? 0;
  accumulator.latencies.push(row.latencyMs);
}

function finish(accumulator: Accumulator): UsageReportRow {
  const { latencies, ...rest } = accumulator;
  latencies.sort((a, b) => a - b);
  const rank = Math.ceil(0.95 * latencies.length) - 1;
  return { ...rest, p95LatencyMs: latencies.length === 0 ? 0 : (latencies[Math.max(0, rank)] ?? 0) };
}
