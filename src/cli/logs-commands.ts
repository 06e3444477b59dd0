import { setTimeout as delay } from "node:timers/promises";
import type { RequestLogQuery, RequestLogRecord } from "../core/ports/request-log-store.js";
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
  readonly limit?: string;
  readonly json?: boolean;
}

export interface LogsTailOptions extends ConfigSourceOptions {
  readonly lines?: string;
  readonly follow?: boolean;
  readonly intervalMs?: string;
  readonly json?: boolean;
}

function printRow(row: RequestLogRecord, json: boolean | undefined): void {
  printLine(json === true ? JSON.stringify(row) : formatLogRow(row));
}

export async function logsQueryCommand(options: LogsQueryOptions): Promise<void> {
  const now = Date.now();
  const query: RequestLogQuery = {
    ...(options.since === undefined ? {} : { sinceMs: parseSince(options.since, now) }),
    ...(options.until === undefined ? {} : { untilMs: parseSince(options.until, now) }),
    ...(options.status === undefined ? {} : parseStatusFilter(options.status)),
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(options.key === undefined ? {} : { keyId: options.key }),
    limit: options.limit === undefined ? 100 : positiveInteger(options.limit, "--limit"),
  };
  const storage = await openConfiguredStorage(await loadCliConfig(options));
  try {
    const rows = await storage.requestLogs.query(query);
    if (options.json !== true) printLine(logHeader);
    for (const row of rows) printRow(row, options.json);
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
