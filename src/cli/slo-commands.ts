import { writeFile } from "node:fs/promises";
import { grafanaDashboard } from "../control/grafana-dashboard.js";
import { burnRateWindowNames, burnRateWindows } from "../control/slo/burn-rate-alerts.js";
import { formatDuration } from "../control/slo/format-alert-message.js";
import { prometheusRulesYaml, prometheusSloRules } from "../control/slo/prometheus-slo-rules.js";
import { holdingConditions } from "../control/slo/slo-alerter.js";
import { type SloStatus, SloTracker } from "../control/slo/slo-tracker.js";
import { latencyBuckets } from "../core/latency-buckets.js";
import { GatewayMetrics } from "../gateway/gateway-metrics.js";
import { openConfiguredStorage } from "../main.js";
import { type ConfigSourceOptions, loadCliConfig, printLine } from "./cli-context.js";

export interface SloStatusOptions extends ConfigSourceOptions {
  readonly json?: boolean;
}

export interface OutputOptions extends ConfigSourceOptions {
  readonly output?: string;
}

/**
 * `switchyard slo status`: budget remaining and burn rates from the counts in storage (what the serving
 * gateways have written; they write every `sloAlerting.persistIntervalMs`), so it works with or without a server.
 */
export async function sloStatusCommand(options: SloStatusOptions): Promise<void> {
  const config = await loadCliConfig(options);
  if (config.slos.length === 0) {
    printLine("No SLOs configured (add a `slos:` list to the config).");
    return;
  }
  const now = Date.now();
  const tracker = new SloTracker(config.slos, () => now);
  const storage = await openConfiguredStorage(config);
  try {
    const longest = Math.max(burnRateWindows["3d"], ...config.slos.map((slo) => slo.windowMs));
    tracker.load(await storage.sloBuckets.query(now - longest));
  } finally {
    await storage.close();
  }
  const statuses = tracker.statuses();
  if (options.json === true) {
    for (const status of statuses) printLine(JSON.stringify(statusJson(status)));
    return;
  }
  printLine(
    [
      "SLO".padEnd(24),
      "OBJECTIVE".padEnd(18),
      "SLI".padEnd(9),
      "BUDGET LEFT".padEnd(12),
      "REQUESTS".padEnd(10),
    ]
      .concat(
        burnRateWindowNames.map((window) => `BURN ${window}`.padEnd(9)),
        ["ALERTS"],
      )
      .join(" "),
  );
  for (const status of statuses) {
    const json = statusJson(status);
    printLine(
      [
        status.slo.name.padEnd(24),
        `${percent(status.slo.objective)}/${formatDuration(status.slo.windowMs)}`.padEnd(18),
        percent(status.sli).padEnd(9),
        percent(status.budgetRemaining).padEnd(12),
        String(status.total).padEnd(10),
      ]
        .concat(burnRateWindowNames.map((window) => `${status.burnRates[window].toFixed(2)}x`.padEnd(9)))
        .concat([json.alerts.length === 0 ? "-" : json.alerts.join(",")])
        .join(" "),
    );
  }
}

/** `switchyard slo rules`: Prometheus recording and alerting rules for the configured SLOs. */
export async function sloRulesCommand(options: OutputOptions): Promise<void> {
  const config = await loadCliConfig(options);
  const ruleSet = prometheusSloRules(config.slos, latencyBuckets);
  for (const skip of ruleSet.skipped)
    process.stderr.write(`switchyard: skipped SLO ${skip.slo}: ${skip.reason}\n`);
  await emit(prometheusRulesYaml(ruleSet), options.output);
}

/** `switchyard grafana dashboard`: a dashboard JSON over the gateway's metrics and the SLO rules. */
export async function grafanaDashboardCommand(options: { readonly output?: string }): Promise<void> {
  const metrics = new GatewayMetrics();
  const names = metrics.registry.getMetricsAsArray().map((metric) => metric.name);
  await emit(`${JSON.stringify(grafanaDashboard(names), null, 2)}\n`, options.output);
}

async function emit(text: string, output: string | undefined): Promise<void> {
  if (output === undefined) {
    process.stdout.write(text);
    return;
  }
  await writeFile(output, text, "utf8");
  process.stderr.write(`switchyard: wrote ${output}\n`);
}

function statusJson(status: SloStatus) {
  return {
    slo: status.slo.name,
    kind: status.slo.kind,
    objective: status.slo.objective,
    window: formatDuration(status.slo.windowMs),
    good: status.good,
    total: status.total,
    sli: status.sli,
    budgetRemaining: status.budgetRemaining,
    burnRates: status.burnRates,
    alerts: (["page", "ticket"] as const).filter(
      (severity) => holdingConditions(status, severity).length > 0,
    ),
  };
}

function percent(share: number): string {
  return `${Number((share * 100).toFixed(3))}%`;
}
