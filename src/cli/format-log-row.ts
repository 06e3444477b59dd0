import type { RequestLogRecord } from "../core/ports/request-log-store.js";

export const logHeader =
  "time                      status  model                 target                          latency    ttft   tokens in/out  error";

export function formatLogRow(row: RequestLogRecord): string {
  const tokens = `${row.inputTokens ?? "-"}/${row.outputTokens ?? "-"}`;
  return [
    new Date(row.createdAt).toISOString().padEnd(25),
    String(row.status).padEnd(7),
    (row.modelRequested ?? "-").slice(0, 21).padEnd(21),
    (row.target ?? "-").slice(0, 31).padEnd(31),
    `${row.latencyMs.toFixed(0)}ms`.padStart(8),
    (row.ttftMs === null ? "-" : `${row.ttftMs.toFixed(0)}ms`).padStart(7),
    tokens.padStart(14),
    ` ${row.errorCode ?? ""}${row.policy ? ` policy=${row.policy}` : ""}${row.warnings ? ` warnings=${row.warnings}` : ""}`,
  ].join(" ");
}
