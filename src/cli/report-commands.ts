import { writeFileSync } from "node:fs";
import { buildUsageReport, parseReportDimensions } from "../control/usage-report.js";
import { openConfiguredStorage } from "../main.js";
import { type ConfigSourceOptions, loadCliConfig, printLine } from "./cli-context.js";
import {
  formatReportCsv,
  formatReportMarkdown,
  formatReportTable,
  type ReportFormat,
} from "./format-usage-report.js";
import { parseSince } from "./parse-duration.js";
import { formatReportHtml } from "./usage-report-html.js";

export interface ReportUsageOptions extends ConfigSourceOptions {
  readonly from?: string;
  readonly to?: string;
  readonly groupBy?: string;
  readonly format?: string;
  readonly output?: string;
}

const formats: Record<ReportFormat, (report: Awaited<ReturnType<typeof buildUsageReport>>) => string> = {
  table: formatReportTable,
  csv: formatReportCsv,
  md: formatReportMarkdown,
  html: formatReportHtml,
};

/** `switchyard report usage`: requests, tokens, cost, cache savings, errors and p95 latency per group. */
export async function reportUsageCommand(options: ReportUsageOptions): Promise<void> {
  const now = Date.now();
  const format = (options.format ?? "table") as ReportFormat;
  const render = formats[format];
  if (render === undefined) throw new Error(`--format: one of table, csv, md, html (got ${options.format})`);
  const fromMs = parseSince(options.from ?? "30d", now);
  const toMs = options.to === undefined ? now + 1 : parseSince(options.to, now);
  if (toMs <= fromMs) throw new Error("--to must be after --from");
  const groupBy = parseReportDimensions(options.groupBy ?? "team,project,model");
  const storage = await openConfiguredStorage(await loadCliConfig(options));
  try {
    const text = render(await buildUsageReport(storage.requestLogs, { fromMs, toMs, groupBy }));
    if (options.output === undefined) printLine(text);
    else writeFileSync(options.output, text);
  } finally {
    await storage.close();
  }
}
