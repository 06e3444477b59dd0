import { burnRateWindowNames } from "./slo/burn-rate-alerts.js";
import { budgetRemainingRecord, errorRatioRecord, objectiveRecord } from "./slo/prometheus-slo-rules.js";

interface Panel {
  readonly title: string;
  readonly unit: string;
  readonly targets: readonly { readonly expr: string; readonly legend: string }[];
  readonly description?: string;
}

const rate = "$__rate_interval";
const datasource = { type: "prometheus", uid: "$datasource" };

/**
 * A Grafana dashboard (JSON model, schema 39) over the gateway's Prometheus metrics and the SLO recording rules
 * of `switchyard slo rules`. `metricNames` are the metrics the gateway exposes: panels for cost and cache appear
 * only when such metrics exist, so the dashboard never charts a name the gateway does not export.
 */
export function grafanaDashboard(metricNames: readonly string[]): Record<string, unknown> {
  const quantiles = (metric: string, by: string) =>
    [0.5, 0.95, 0.99].map((quantile) => ({
      expr: `histogram_quantile(${quantile}, sum by (le, ${by}) (rate(${metric}_bucket{model_group=~"$model_group"}[${rate}])))`,
      legend: `p${quantile * 100} {{${by}}}`,
    }));
  const panels: Panel[] = [
    {
      title: "Requests per second",
      unit: "reqps",
      targets: [
        {
          expr: `sum by (model_group, status) (rate(switchyard_requests_total{model_group=~"$model_group"}[${rate}]))`,
          legend: "{{model_group}} {{status}}",
        },
      ],
    },
    {
      title: "Error ratio (5xx)",
      unit: "percentunit",
      targets: [
        {
          expr:
            `sum by (model_group) (rate(switchyard_requests_total{model_group=~"$model_group",status=~"5.."}[${rate}]))` +
            ` / sum by (model_group) (rate(switchyard_requests_total{model_group=~"$model_group"}[${rate}]))`,
          legend: "{{model_group}}",
        },
      ],
    },
    {
      title: "Latency percentiles",
      unit: "s",
      targets: quantiles("switchyard_request_duration_seconds", "model_group"),
    },
    {
      title: "Time to first token percentiles (streams)",
      unit: "s",
      targets: quantiles("switchyard_time_to_first_token_seconds", "model_group"),
    },
    {
      title: "Gateway overhead p99",
      unit: "s",
      targets: [
        {
          expr: `histogram_quantile(0.99, sum by (le) (rate(switchyard_gateway_overhead_seconds_bucket[${rate}])))`,
          legend: "p99",
        },
      ],
    },
    {
      title: "Tokens per second",
      unit: "short",
      targets: [
        {
          expr: `sum by (model_group, direction) (rate(switchyard_tokens_total{model_group=~"$model_group"}[${rate}]))`,
          legend: "{{model_group}} {{direction}}",
        },
      ],
    },
    ...metricNames
      .filter((name) => /^switchyard_.*cost.*_total$/.test(name))
      .map((name) => ({
        title: `Cost (${name})`,
        unit: "currencyUSD",
        targets: [{ expr: `sum(increase(${name}[1h]))`, legend: "per hour" }],
      })),
    ...metricNames
      .filter((name) => /^switchyard_.*cache.*_total$/.test(name))
      .map((name) => ({
        title: `Cache (${name})`,
        unit: "ops",
        targets: [{ expr: `sum(rate(${name}[${rate}]))`, legend: name }],
      })),
    {
      title: "SLO error budget remaining",
      unit: "percentunit",
      description: "From the recording rules of `switchyard slo rules`.",
      targets: [{ expr: budgetRemainingRecord, legend: "{{slo}}" }],
    },
    {
      title: "SLO burn rates",
      unit: "short",
      description:
        "Error ratio over each alert window divided by the budget (1 − objective); 1 spends the budget exactly.",
      targets: burnRateWindowNames.map((window) => ({
        expr: `${errorRatioRecord(window)} / on (slo) (1 - ${objectiveRecord})`,
        legend: `{{slo}} ${window}`,
      })),
    },
  ];
  return {
    title: "Switchyard",
    uid: "switchyard-gateway",
    tags: ["switchyard", "llm-gateway"],
    timezone: "utc",
    schemaVersion: 39,
    editable: true,
    refresh: "30s",
    time: { from: "now-6h", to: "now" },
    templating: {
      list: [
        { name: "datasource", type: "datasource", query: "prometheus", label: "Prometheus" },
        {
          name: "model_group",
          type: "query",
          datasource,
          query: "label_values(switchyard_requests_total, model_group)",
          includeAll: true,
          multi: true,
          allValue: ".*",
          current: { text: "All", value: "$__all" },
          refresh: 2,
        },
      ],
    },
    panels: panels.map((panel, index) => ({
      id: index + 1,
      type: "timeseries",
      title: panel.title,
      ...(panel.description === undefined ? {} : { description: panel.description }),
      datasource,
      gridPos: { h: 8, w: 12, x: (index % 2) * 12, y: Math.floor(index / 2) * 8 },
      fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
      options: { legend: { displayMode: "list", placement: "bottom" }, tooltip: { mode: "multi" } },
      targets: panel.targets.map((target, targetIndex) => ({
        refId: String.fromCharCode(65 + targetIndex),
        datasource,
        expr: target.expr,
        legendFormat: target.legend,
      })),
    })),
  };
}
