import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseConfigText } from "../../src/config/load-config.js";
import { GatewayMetrics } from "../../src/gateway/gateway-metrics.js";
import { startSwitchyard } from "../../src/main.js";
import { assertBuilt, cleanEnvironment, runCli } from "../support/cli-process.js";
import { promtool, promtoolAvailability } from "../support/promtool.js";
import { testMasterKey } from "../support/start-test-gateway.js";

let workDir: string;
let configFile: string;

const configText = (dataDir: string) => `
storage: { url: "sqlite:${path.join(dataDir, "gw.db")}" }
providers:
  - name: sim
    type: simulator
    simulator: { latencyMs: 0, tokensPerSecond: 0 }
models:
  - name: chat
    targets: [{ provider: sim, model: sim-small }]
slos:
  - name: chat-availability
    kind: availability
    objective: 0.99
    scope: { models: [chat] }
  - name: chat-ttft
    kind: latency
    objective: 0.95
    window: 30d
    scope: { models: [chat], routes: [chat.completions] }
    latency: { measure: ttft, thresholdMs: 10000 }
  - name: search-team
    kind: availability
    objective: 0.999
    scope: { teams: [search] }
`;

beforeAll(async () => {
  assertBuilt();
  workDir = mkdtempSync(path.join(tmpdir(), "switchyard-slo-cli-"));
  configFile = path.join(workDir, "switchyard.yaml");
  writeFileSync(configFile, configText(workDir));
  // Real traffic through a real gateway, whose counts reach storage when it closes.
  const running = await startSwitchyard(
    parseConfigText(
      configText(workDir),
      configFile,
      { SWITCHYARD_MASTER_KEY: testMasterKey },
      {
        port: 0,
        host: "127.0.0.1",
        dataDir: workDir,
      },
    ),
    pino({ level: "silent" }),
  );
  const client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: testMasterKey, maxRetries: 0 });
  const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "hi" }];
  for (let index = 0; index < 8; index += 1) {
    const stream = await client.chat.completions.create({ model: "chat", messages, stream: true });
    for await (const _chunk of stream) {
      // drain
    }
  }
  for (let index = 0; index < 2; index += 1) {
    await client.chat.completions
      .create({ model: "chat", messages }, { headers: { "x-simulator-fault": "500" } })
      .catch(() => undefined);
  }
  await running.close();
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe("switchyard slo status", () => {
  it("reports budget and burn rates from storage, with the alerts that would fire", async () => {
    const result = await runCli(["slo", "status", "-c", configFile, "--json"], cleanEnvironment());
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const [availability, ttft, team] = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    // 2 of 10 failed against a 1% budget: 20x the sustainable burn in every window, budget overspent.
    expect(availability).toMatchObject({ slo: "chat-availability", good: 8, total: 10, window: "28d" });
    expect(availability?.budgetRemaining).toBeCloseTo(1 - 2 / 0.1);
    expect((availability?.burnRates as Record<string, number> | undefined)?.["5m"]).toBeCloseTo(20);
    expect(availability?.alerts).toEqual(["page", "ticket"]);
    expect(ttft).toMatchObject({ slo: "chat-ttft", good: 8, total: 8, budgetRemaining: 1, alerts: [] });
    expect(team).toMatchObject({ slo: "search-team", total: 0 });

    const table = await runCli(["slo", "status", "-c", configFile], cleanEnvironment());
    expect(table.stdout).toMatch(/^SLO\s+OBJECTIVE\s+SLI\s+BUDGET LEFT\s+REQUESTS\s+BURN 5m/);
    expect(table.stdout).toMatch(/chat-availability\s+99%\/28d\s+80%\s+-1900%\s+10\s+20\.00x/);
  });
});

const { skip, missing } = await promtoolAvailability("slo rules / grafana dashboard promtool checks");

describe.skipIf(skip)("switchyard slo rules and grafana dashboard", () => {
  beforeAll(() => {
    if (missing) throw new Error("promtool is not installed and CI is set (apt-get install prometheus)");
  });

  it("writes rules promtool accepts, skipping the team-scoped SLO with a reason", async () => {
    const output = path.join(workDir, "rules.yml");
    const result = await runCli(["slo", "rules", "-c", configFile, "-o", output], cleanEnvironment());
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("skipped SLO search-team: scoped by team");
    const check = await promtool(["check", "rules", output]);
    expect(check.output).toContain("SUCCESS: 20 rules found");
    expect(readFileSync(output, "utf8")).toContain('le="10"');
  });

  it("writes a dashboard whose queries parse and chart only metrics and rules that exist", async () => {
    const result = await runCli(["grafana", "dashboard"], cleanEnvironment());
    expect(result.code).toBe(0);
    const dashboard = JSON.parse(result.stdout) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const titles = dashboard.panels.map((panel) => panel.title);
    for (const title of ["Requests per second", "Error ratio (5xx)", "Latency percentiles", "SLO burn rates"])
      expect(titles).toContain(title);
    const expressions = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
    const exported = new GatewayMetrics().registry.getMetricsAsArray().map((metric) => metric.name);
    for (const name of new Set(expressions.flatMap((expr) => expr.match(/\bswitchyard_[a-z_]+/g) ?? []))) {
      expect(exported).toContain(name.replace(/_(bucket|count|sum)$/, ""));
    }
    // Every query, with Grafana's variables filled in, must be valid PromQL: promtool parses them as rules.
    const rules = {
      groups: [
        {
          name: "dashboard",
          rules: expressions.map((expr, index) => ({
            record: `dashboard:query_${index}`,
            expr: expr.replaceAll("$__rate_interval", "5m").replaceAll("$model_group", ".*"),
          })),
        },
      ],
    };
    const file = path.join(workDir, "dashboard-queries.yml");
    writeFileSync(file, stringify(rules));
    const check = await promtool(["check", "rules", file]);
    expect(check.output).toContain(`SUCCESS: ${expressions.length} rules found`);
  });
});
