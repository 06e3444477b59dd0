import { stringify } from "csv-stringify/sync";
import type { RequestLogAttempt, RequestLogRecord } from "../core/ports/request-log-store.js";

export const logHeader =
  "time                      status  model                 target                          latency    ttft   tokens in/out  error";

/** One table line; failed attempts, policy actions, team/project and the trace id follow when present. */
export function formatLogRow(row: RequestLogRecord): string {
  const tokens = `${row.inputTokens ?? "-"}/${row.outputTokens ?? "-"}`;
  const details = [
    row.errorCode ?? "",
    row.policy ? `policy=${row.policy}` : "",
    row.attemptDetails && row.attemptDetails.length > 1
      ? `attempts=${formatAttempts(row.attemptDetails)}`
      : "",
    row.team ? `team=${row.team}` : "",
    row.project ? `project=${row.project}` : "",
    row.traceId ? `trace=${row.traceId}` : "",
  ].filter((detail) => detail !== "");
  return [
    new Date(row.createdAt).toISOString().padEnd(25),
    String(row.status).padEnd(7),
    (row.modelRequested ?? "-").slice(0, 21).padEnd(21),
    (row.target ?? "-").slice(0, 31).padEnd(31),
    `${row.latencyMs.toFixed(0)}ms`.padStart(8),
    (row.ttftMs === null ? "-" : `${row.ttftMs.toFixed(0)}ms`).padStart(7),
    tokens.padStart(14),
    ` ${details.join(" ")}`,
  ].join(" ");
}

/** `mock/a:500>backup/b:200`; an attempt with no answer shows its error code instead of a status. */
export function formatAttempts(attempts: readonly RequestLogAttempt[]): string {
  return attempts
    .map((attempt) => `${attempt.target}:${attempt.status ?? attempt.errorCode ?? "none"}`)
    .join(">");
}

const csvColumns = [
  "id",
  "time",
  "key_id",
  "team",
  "project",
  "endpoint",
  "model",
  "target",
  "status",
  "stream",
  "latency_ms",
  "ttft_ms",
  "overhead_ms",
  "input_tokens",
  "output_tokens",
  "cached_tokens",
  "error_code",
  "attempts",
  "attempt_details",
  "policy",
  "trace_id",
] as const;

/** RFC 4180 CSV, header first; `attempt_details` in the table's `target:status>…` form. */
export function csvHeader(): string {
  return stringify([csvColumns as unknown as string[]], { record_delimiter: "\n" });
}

export function formatCsvRow(row: RequestLogRecord): string {
  const values: (string | number | boolean | null)[] = [
    row.id,
    new Date(row.createdAt).toISOString(),
    row.keyId,
    row.team ?? null,
    row.project ?? null,
    row.endpoint,
    row.modelRequested,
    row.target,
    row.status,
    row.stream,
    row.latencyMs,
    row.ttftMs,
    row.overheadMs,
    row.inputTokens,
    row.outputTokens,
    row.cachedTokens,
    row.errorCode,
    row.attempts,
    row.attemptDetails ? formatAttempts(row.attemptDetails) : null,
    row.policy ?? null,
    row.traceId ?? null,
  ];
  return stringify([values], { record_delimiter: "\n", cast: { boolean: (value) => String(value) } });
}
