import { stringify } from "csv-stringify/sync";
import type { RequestLogAttempt, RequestLogRecord } from "../core/ports/request-log-store.js";

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
  "cost_usd",
  "tags",
] as const;

/** Attempts as `target:status>…` (the error code when no status came), for the table and CSV. */
export function formatAttempts(attempts: readonly RequestLogAttempt[]): string {
  return attempts
    .map((attempt) => `${attempt.target}:${attempt.status ?? attempt.errorCode ?? "none"}`)
    .join(">");
}

/** The request log's CSV export, shared by `switchyard logs query --format csv` and `GET /admin/v1/requests`. RFC 4180 CSV, header first; `attempt_details` in the table's `target:status>…` form. */
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
    row.costUsd ?? null,
    row.tags ?? null,
  ];
  return stringify([values.map(neutraliseFormula)], {
    record_delimiter: "\n",
    cast: { boolean: (value) => String(value) },
  });
}

/**
 * Text a client chose (model names, tags) must not run as a spreadsheet formula when the CSV is opened: a cell
 * starting with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'` (OWASP's advice for CSV export).
 */
function neutraliseFormula(value: string | number | boolean | null): string | number | boolean | null {
  return typeof value === "string" && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
