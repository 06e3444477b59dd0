import { formatAttempts } from "../control/format-log-csv.js";
import type { RequestLogRecord } from "../core/ports/request-log-store.js";

export const logHeader =
  "time                      status  model                 target                          latency    ttft   tokens in/out  error";

/** One table line; failed attempts, policy actions, team/project and the trace id follow when present. */
export function formatLogRow(row: RequestLogRecord): string {
  const tokens = `${row.inputTokens ?? "-"}/${row.outputTokens ?? "-"}`;
  const details = [
    row.errorCode ?? "",
    row.policy ? `policy=${row.policy}` : "",
    row.attemptPath
      ? `attempts=[${row.attemptPath}]`
      : row.attemptDetails && row.attemptDetails.length > 1
        ? `attempts=${formatAttempts(row.attemptDetails)}`
        : "",
    row.warnings ? `warnings=${row.warnings}` : "",
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
