import type { UsageReport } from "../control/usage-report.js";
import { rangeLine, reportCells } from "./format-usage-report.js";

function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

interface Bar {
  readonly label: string;
  readonly value: number;
}

/** A horizontal bar chart as inline SVG (no script, no external asset). */
function barChart(title: string, bars: readonly Bar[], format: (value: number) => string): string {
  const rowHeight = 22;
  const labelWidth = 220;
  const chartWidth = 480;
  const max = Math.max(...bars.map((bar) => bar.value), 0);
  const height = bars.length * rowHeight + 30;
  const rows = bars.map((bar, index) => {
    const y = 24 + index * rowHeight;
    const width = max === 0 ? 0 : Math.max(1, (bar.value / max) * chartWidth);
    return (
      `<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end">${escapeHtml(bar.label)}</text>` +
      `<rect x="${labelWidth}" y="${y}" width="${width.toFixed(1)}" height="${rowHeight - 6}" fill="#3b6ea5"><title>${escapeHtml(
        `${bar.label}: ${format(bar.value)}`,
      )}</title></rect>` +
      `<text x="${(labelWidth + width + 6).toFixed(1)}" y="${y + 14}">${escapeHtml(format(bar.value))}</text>`
    );
  });
  return (
    `<figure><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(title)}" ` +
    `width="${labelWidth + chartWidth + 120}" height="${height}" font-family="sans-serif" font-size="12">` +
    `<text x="0" y="14" font-weight="bold">${escapeHtml(title)}</text>${rows.join("")}</svg></figure>`
  );
}

/** A self-contained HTML page: charts of cost by group and by day, cache savings, then the full table. */
export function formatReportHtml(report: UsageReport): string {
  const { header, rows } = reportCells(report);
  const label = (group: readonly string[]) => (group.length === 0 ? "all" : group.join(" · "));
  const money = (value: number) => `$${value.toFixed(4)}`;
  const top = report.rows.slice(0, 20);
  const charts = [
    barChart(
      "Cost by group (USD)",
      top.map((row) => ({ label: label(row.group), value: row.costUsd })),
      money,
    ),
    barChart(
      "Cost by day (USD, UTC)",
      report.dailyCostUsd.map((day) => ({ label: day.day, value: day.costUsd })),
      money,
    ),
    barChart(
      "Cache savings by group (USD)",
      top.map((row) => ({ label: label(row.group), value: row.cacheSavingsUsd })),
      money,
    ),
  ];
  const table =
    `<table><thead><tr>${header.map((cell) => `<th>${escapeHtml(cell)}</th>`).join("")}</tr></thead><tbody>` +
    rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join("")}</tr>`).join("") +
    "</tbody></table>";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchyard usage report</title>
<style>body{font-family:sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}figure{margin:1rem 0}</style>
</head><body><h1>Switchyard usage report</h1><p>${escapeHtml(rangeLine(report))}</p>
${charts.join("\n")}
${table}
</body></html>
`;
}
