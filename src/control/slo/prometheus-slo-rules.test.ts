import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { promtool, promtoolAvailability } from "../../../test/support/promtool.js";
import { makeSlo } from "../../../test/support/slo-fixtures.js";
import { latencyBuckets } from "../../core/latency-buckets.js";
import { type PrometheusRule, prometheusRulesYaml, prometheusSloRules } from "./prometheus-slo-rules.js";

const slos = [
  makeSlo({ name: "chat-availability", objective: 0.99, scope: { models: ["chat"], routes: [], teams: [] } }),
  makeSlo({
    name: "chat-ttft",
    kind: "latency",
    objective: 0.99,
    scope: { models: ["chat"], routes: [], teams: [] },
    latency: { measure: "ttft", thresholdMs: 1000 },
  }),
];
const ruleSet = prometheusSloRules(slos, latencyBuckets);
const availability = 'operation="chat.completions",model_group="chat",provider="sim"';

/** The annotations the generated alert of this name and SLO carries (promtool compares them exactly). */
function annotations(alert: string, slo: string): Record<string, string> {
  const rule = ruleSet.groups
    .flatMap((group) => group.rules)
    .find(
      (candidate): candidate is Extract<PrometheusRule, { alert: string }> =>
        "alert" in candidate && candidate.alert === alert && candidate.labels.slo === slo,
    );
  if (rule === undefined) throw new Error(`no ${alert} for ${slo}`);
  return { ...rule.annotations };
}

describe("prometheusSloRules", () => {
  it("records error ratios per window and alerts on the Workbook burn-rate pairs", () => {
    expect(ruleSet.skipped).toEqual([]);
    const [group] = ruleSet.groups;
    expect(group?.name).toBe("switchyard-slo-chat-availability");
    expect(group?.rules.map((rule) => ("record" in rule ? rule.record : rule.alert))).toEqual([
      "switchyard:slo_errors_per_request:ratio_rate5m",
      "switchyard:slo_errors_per_request:ratio_rate30m",
      "switchyard:slo_errors_per_request:ratio_rate1h",
      "switchyard:slo_errors_per_request:ratio_rate6h",
      "switchyard:slo_errors_per_request:ratio_rate3d",
      "switchyard:slo_errors_per_request:ratio_rate28d",
      "switchyard:slo_objective:ratio",
      "switchyard:slo_error_budget_remaining:ratio",
      "SwitchyardSloBurnRatePage",
      "SwitchyardSloBurnRateTicket",
    ]);
    const page = group?.rules.find((rule) => "alert" in rule && rule.alert === "SwitchyardSloBurnRatePage");
    expect(page?.expr).toContain('ratio_rate1h{slo="chat-availability"} > (14.4 * 0.01)');
    expect(page?.expr).toContain('ratio_rate30m{slo="chat-availability"} > (6 * 0.01)');
  });

  it("leaves out what the metrics cannot express, and says why", () => {
    const { groups, skipped } = prometheusSloRules(
      [
        makeSlo({ name: "team", scope: { models: [], routes: [], teams: ["search"] } }),
        makeSlo({ name: "odd-bound", kind: "latency", latency: { measure: "latency", thresholdMs: 300 } }),
      ],
      latencyBuckets,
    );
    expect(groups).toEqual([]);
    expect(skipped.map((skip) => skip.slo)).toEqual(["team", "odd-bound"]);
    expect(prometheusRulesYaml({ groups, skipped })).toContain("# Skipped SLO team: scoped by team");
  });
});

const { skip, missing } = await promtoolAvailability("promtool rule tests");

describe.skipIf(skip)("the generated rules under promtool", () => {
  let directory: string;
  beforeAll(() => {
    if (missing) throw new Error("promtool is not installed and CI is set (apt-get install prometheus)");
    directory = mkdtempSync(path.join(tmpdir(), "switchyard-promtool-"));
    writeFileSync(path.join(directory, "slo-rules.yml"), prometheusRulesYaml(ruleSet));
  });
  afterAll(() => {
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  it("pass promtool check rules", async () => {
    const result = await promtool(["check", "rules", path.join(directory, "slo-rules.yml")]);
    expect(result.output).toContain("SUCCESS: 20 rules found");
    expect(result.code).toBe(0);
  });

  it("page on a fast burn without a ticket, and ticket on a slow burn without a page", {
    timeout: 240_000,
  }, async () => {
    const tests = {
      rule_files: ["slo-rules.yml"],
      evaluation_interval: "5m",
      tests: [
        {
          // 40 healthy hours at 100 requests a minute, then as many failing ones on top of them (50%).
          interval: "1m",
          input_series: [
            { series: `switchyard_requests_total{${availability},status="200"}`, values: "0+100x2430" },
            {
              series: `switchyard_requests_total{${availability},status="500"}`,
              values: "0x2400 100+100x30",
            },
            {
              series: 'switchyard_time_to_first_token_seconds_bucket{model_group="chat",le="1"}',
              values: "0+100x2430",
            },
            {
              series: 'switchyard_time_to_first_token_seconds_count{model_group="chat"}',
              values: "0+100x2430",
            },
          ],
          alert_rule_test: [
            { eval_time: "2395m", alertname: "SwitchyardSloBurnRatePage", exp_alerts: [] },
            {
              eval_time: "2415m",
              alertname: "SwitchyardSloBurnRatePage",
              exp_alerts: [
                {
                  exp_labels: { severity: "page", slo: "chat-availability" },
                  exp_annotations: annotations("SwitchyardSloBurnRatePage", "chat-availability"),
                },
              ],
            },
            // 15 bad minutes are 0.6% of all traffic (within the 3d window): under the 1x ticket threshold.
            { eval_time: "2415m", alertname: "SwitchyardSloBurnRateTicket", exp_alerts: [] },
          ],
        },
        {
          // 3% errors and 3% slow first tokens for 6h40m: burning 3x, a ticket for both, no page.
          interval: "1m",
          input_series: [
            { series: `switchyard_requests_total{${availability},status="200"}`, values: "0+97x400" },
            { series: `switchyard_requests_total{${availability},status="503"}`, values: "0+3x400" },
            {
              series: 'switchyard_time_to_first_token_seconds_bucket{model_group="chat",le="1"}',
              values: "0+97x400",
            },
            {
              series: 'switchyard_time_to_first_token_seconds_count{model_group="chat"}',
              values: "0+100x400",
            },
          ],
          alert_rule_test: [
            { eval_time: "400m", alertname: "SwitchyardSloBurnRatePage", exp_alerts: [] },
            {
              eval_time: "400m",
              alertname: "SwitchyardSloBurnRateTicket",
              exp_alerts: ["chat-availability", "chat-ttft"].map((slo) => ({
                exp_labels: { severity: "ticket", slo },
                exp_annotations: annotations("SwitchyardSloBurnRateTicket", slo),
              })),
            },
          ],
          promql_expr_test: [
            {
              expr: 'round(switchyard:slo_error_budget_remaining:ratio{slo="chat-availability"}, 0.01)',
              eval_time: "400m",
              exp_samples: [{ labels: '{slo="chat-availability"}', value: -2 }],
            },
          ],
        },
      ],
    };
    writeFileSync(path.join(directory, "slo-rules.test.yml"), stringify(tests));
    const result = await promtool(["test", "rules", path.join(directory, "slo-rules.test.yml")]);
    expect(result.output).toContain("SUCCESS");
    expect(result.code).toBe(0);
  });
});
