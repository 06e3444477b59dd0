import { setTimeout as delay } from "node:timers/promises";
import { decodeCursor, encodeCursor, isTagPair } from "../control/request-log-cursor.js";
import type { RequestLogCursor, RequestLogQuery, RequestLogRecord } from "../core/ports/request-log-store.js";
import { openConfiguredStorage } from "../main.js";
import { type ConfigSourceOptions, loadCliConfig, printLine } from "./cli-context.js";
import { formatLogRow, logHeader } from "./format-log-row.js";
import { parseSince, parseStatusFilter } from "./parse-duration.js";

export interface LogsQueryOptions extends ConfigSourceOptions {
  readonly since?: string;
  readonly until?: string;
  readonly status?: string;
  readonly model?: string;
  readonly key?: string;
  readonly team?: string;
  readonly project?: string;
  readonly target?: string;
  readonly minLatencyMs?: string;
  readonly traceId?: string;
  readonly minCostUsd?: string;
  readonly tag?: string;
  readonly endUser?: string;
  readonly cursor?: string;
  readonly limit?: string;
  readonly format?: string;
  readonly json?: boolean;
}

export interface LogsTailOptions extends ConfigSourceOptions {
  readonly lines?: string;
  readonly follow?: boolean;
  readonly intervalMs?: string;
  readonly json?: boolean;
}

type OutputFormat = "table" | "json" | "csv";

function printRow(row: RequestLogRecord, json: boolean | undefined): void {
  printLine(json === true ? JSON.stringify(row) : formatLogRow(row));
}

function outputFormat(options: LogsQueryOptions): OutputFormat {
  if (options.json === true) return "json";
  const format = options.format ?? "table";
  if (format === "table" || format === "json" || format === "csv") return format;
  throw new Error(`--format: expected table, json or csv, got ${format}`);
}

/**
 * Newest first, `--limit` rows per page. When a page is full, the token for the next one goes to stderr
 * (`next page: --cursor …`), so stdout stays clean JSON lines or CSV.
 */
export async function logsQueryCommand(options: LogsQueryOptions): Promise<void> {
  const now = Date.now();
  const format = outputFormat(options);
  const limit = options.limit === undefined ? 100 : positiveInteger(options.limit, "--limit");
  const query: RequestLogQuery = {
    ...(options.since === undefined ? {} : { sinceMs: parseSince(options.since, now) }),
    ...(options.until === undefined ? {} : { untilMs: parseSince(options.until, now) }),
    ...(options.status === undefined ? {} : parseStatusFilter(options.status)),
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(options.key === undefined ? {} : { keyId: options.key }),
    ...(options.team === undefined ? {} : { team: options.team }),
    ...(options.project === undefined ? {} : { project: options.project }),
    ...(options.target === undefined ? {} : { target: options.target }),
    ...(options.minLatencyMs === undefined
      ? {}
      : {
          minLatencyMs: nonNegativeNumber(
            options.minLatencyMs,
            "--min-latency-ms",
            "a number of milliseconds",
          ),
        }),
    ...(options.traceId === undefined ? {} : { traceId: options.traceId.toLowerCase() }),
    ...(options.minCostUsd === undefined
      ? {}
      : { minCostUsd: nonNegativeNumber(options.minCostUsd, "--min-cost-usd", "an amount in USD") }),
    ...(options.tag === undefined ? {} : { tag: tagPair(options.tag) }),
    ...(options.endUser === undefined ? {} : { endUser: options.endUser }),
    ...(options.cursor === undefined ? {} : { after: cursorFlag(options.cursor) }),
    limit,
  };
  const storage = await openConfiguredStorage(await loadCliConfig(options));
  try {
    const rows = await storage.requestLogs.query(query);
    if (format === "csv") {
      const { csvHeader, formatCsvRow } = await import("../control/format-log-csv.js");
      process.stdout.write(csvHeader());
      for (const row of rows) process.stdout.write(formatCsvRow(row));
    } else {
      if (format === "table") printLine(logHeader);
      for (const row of rows) printRow(row, format === "json");
    }
    const last = rows.at(-1);
    if (rows.length === limit && last !== undefined) {
      process.stderr.write(`next page: --cursor ${encodeCursor(last)}\n`);
    }
  } finally {
    await storage.close();
  }
}

/** Prints the last rows, then (with --follow, the default) new rows as they are written, until interrupted. */
export async function logsTailCommand(options: LogsTailOptions): Promise<void> {
  const storage = await openConfiguredStorage(await loadCliConfig(options));
  const interval =
    options.intervalMs === undefined ? 1000 : positiveInteger(options.intervalMs, "--interval-ms");
  const stop = new AbortController();
  process.once("SIGINT", () => stop.abort());
  process.once("SIGTERM", () => stop.abort());
  try {
    const latest = await storage.requestLogs.query({
      limit: positiveInteger(options.lines ?? "20", "--lines"),
    });
    if (options.json !== true) printLine(logHeader);
    const seen = new Map<string, number>();
    let since = 0;
    for (const row of latest.reverse()) {
      printRow(row, options.json);
      seen.set(row.id, row.createdAt);
      since = Math.max(since, row.createdAt);
    }
    while (options.follow !== false && !stop.signal.aborted) {
      await delay(interval, undefined, { signal: stop.signal }).catch(() => undefined);
      if (stop.signal.aborted) break;
      // Rows arrive in batches, possibly older than the newest printed: re-read a window and skip ids seen.
      const windowStart = since - 60_000;
      const rows = await storage.requestLogs.query({ sinceMs: windowStart, order: "asc", limit: 10_000 });
      for (const row of rows) {
        if (seen.has(row.id)) continue;
        seen.set(row.id, row.createdAt);
        since = Math.max(since, row.createdAt);
        printRow(row, options.json);
      }
      for (const [id, createdAt] of seen) if (createdAt < windowStart) seen.delete(id);
    }
  } finally {
    await storage.close();
  }
}

function positiveInteger(value: string, flag: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new Error(`${flag}: expected a positive whole number, got ${value}`);
  return parsed;
}

function nonNegativeNumber(value: string, flag: string, what: string): number {
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed) || parsed < 0)
    throw new Error(`${flag}: expected ${what}, got ${value}`);
  return parsed;
}

function tagPair(value: string): string {
  if (!isTagPair(value)) throw new Error(`--tag: expected name=value (no commas), got ${value}`);
  return value;
}

function cursorFlag(value: string): RequestLogCursor {
  try {
    return decodeCursor(value);
  } catch {
    throw new Error(`--cursor: not a cursor printed by logs query: ${value}`);
  }
}
