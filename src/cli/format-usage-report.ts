import type { UsageReport, UsageReportRow } from "../control/usage-report.js";

export type ReportFormat = "table" | "csv" | "md" | "html";

interface Column {
  readonly title: string;
  readonly value: (row: UsageReportRow) => string;
}

const usd = (value: number) => value.toFixed(6);

/** The figures every format shows, after the group columns. */
export const reportColumns: readonly Column[] = [
  { title: "requests", value: (row) => String(row.requests) },
  { title: "errors", value: (row) => String(row.errors) },
  { title: "input_tokens", value: (row) => String(row.inputTokens) },
  { title: "output_tokens", value: (row) => String(row.outputTokens) },
  { title: "cached_tokens", value: (row) => String(row.cachedTokens) },
  { title: "cache_write_tokens", value: (row) => String(row.cacheWriteTokens) },
  { title: "reasoning_tokens", value: (row) => String(row.reasoningTokens) },
  { title: "estimated", value: (row) => String(row.estimatedRequests) },
  { title: "cost_usd", value: (row) => usd(row.costUsd) },
  { title: "cache_savings_usd", value: (row) => usd(row.cacheSavingsUsd) },
  { title: "unpriced", value: (row) => String(row.unpricedRequests) },
  { title: "p95_latency_ms", value: (row) => row.p95LatencyMs.toFixed(1) },
];

/** Header and body cells: one row per group, then a `total` row. */
export function reportCells(report: UsageReport): { header: string[]; rows: string[][] } {
  const groupTitles = report.groupBy.length === 0 ? ["group"] : [...report.groupBy];
  const header = [...groupTitles, ...reportColumns.map((column) => column.title)];
  const cellsOf = (row: UsageReportRow, group: readonly string[]) => [
    ...group,
    ...reportColumns.map((column) => column.value(row)),
  ];
  const rows = report.rows.map((row) => cellsOf(row, report.groupBy.length === 0 ? ["all"] : row.group));
  rows.push(cellsOf(report.total, ["total", ...Array(Math.max(0, groupTitles.length - 1)).fill("")]));
  return { header, rows };
}

export function formatReportTable(report: UsageReport): string {
  const { header, rows } = reportCells(report);
  const widths = header.map((title, index) =>
    Math.max(title.length, ...rows.map((row) => (row[index] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) =>
        index < report.groupBy.length ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0),
      )
      .join("  ")
      .trimEnd();
  return [rangeLine(report), "", line(header), ...rows.map(line)].join("\n");
}

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled. */
export function formatReportCsv(report: UsageReport): string {
  const { header, rows } = reportCells(report);
  const field = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  return [header, ...rows].map((row) => row.map(field).join(",")).join("\r\n");
}

export function formatReportMarkdown(report: UsageReport): string {
  const { header, rows } = reportCells(report);
  const escapeCell = (cell: string) => cell.replaceAll("|", "\\|");
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(" | ")} |`;
  const alignment = header.map((_, index) => (index < report.groupBy.length ? "---" : "---:"));
  return [`# Usage report`, "", rangeLine(report), "", line(header), line(alignment), ...rows.map(line)].join(
    "\n",
  );
}

export function rangeLine(report: UsageReport): string {
  return `Usage from ${new Date(report.fromMs).toISOString()} to ${new Date(report.toMs).toISOString()}`;
}
