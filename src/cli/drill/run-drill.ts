import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { Agent, request } from "undici";
import type { ModelGroupConfig, SwitchyardConfig } from "../../core/gateway-config.js";
import { startSwitchyard } from "../../main.js";
import { type DrillResult, type DrillTotals, summarizeDrill } from "./drill-report.js";
import { type DrillScenario, type DrillScenarioName, drillScenarios } from "./drill-scenarios.js";

export interface DrillOptions {
  readonly config: SwitchyardConfig;
  readonly scenario: DrillScenarioName;
  readonly requests: number;
  readonly concurrency: number;
  /** The model group to drill; default: the first named group with two or more targets. */
  readonly model?: string | undefined;
  /** Exact output length asked of the simulators, long enough for a mid-stream cut to follow content. */
  readonly outputTokens?: number;
}

/** One client-side outcome. `signalled`: an error the client could see as one (HTTP error or stream error event). */
export interface RequestOutcome {
  readonly ok: boolean;
  readonly signalled: boolean;
  readonly stream: boolean;
  readonly latencyMs: number;
  readonly target: string | null;
  readonly fallback: boolean;
  readonly retries: number;
}

/**
 * Runs a failure drill: serves the config in-process (in-memory storage, loopback port) with the scenario's
 * faults on the model group's first target, which must be a simulator of its own, sends `requests` requests
 * `concurrency` at a time, and sums up what the clients saw and what the gateway's metrics say.
 */
export async function runDrill(options: DrillOptions): Promise<DrillResult> {
  const scenario = drillScenarios[options.scenario];
  const group = drilledGroup(options.config, options.model);
  const primary = group.targets[0];
  if (primary === undefined) throw new Error(`model group ${group.name} has no targets`);
  const primaryId = `${primary.provider}/${primary.model ?? group.name}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), "switchyard-drill-"));
  const masterKey = `sy-drill-${randomBytes(12).toString("hex")}`;
  const running = await startSwitchyard(
    drillConfig(options.config, scenario, primary.provider, dataDir, masterKey),
    pino({ level: "silent" }),
  );
  const agent = new Agent({ connections: options.concurrency, keepAliveTimeout: 10_000 });
  try {
    const startedAt = performance.now();
    const outcomes: RequestOutcome[] = [];
    let next = 0;
    const worker = async () => {
      while (next < options.requests) {
        const index = next;
        next += 1;
        outcomes.push(
          await sendOne(running.url, masterKey, agent, {
            model: group.name,
            stream: index % 100 < scenario.streamShare * 100,
            outputTokens: options.outputTokens ?? 24,
          }),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, options.requests) }, worker));
    const durationMs = performance.now() - startedAt;
    const metrics = await (await request(`${running.url}/metrics`, { dispatcher: agent })).body.text();
    const totals: DrillTotals = {
      scenario,
      group: group.name,
      primary: primaryId,
      requests: options.requests,
      concurrency: options.concurrency,
      durationMs,
      resilience: options.config.resilience,
    };
    return summarizeDrill(totals, outcomes, metrics);
  } finally {
    await agent.close();
    await running.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function drilledGroup(config: SwitchyardConfig, model: string | undefined): ModelGroupConfig {
  const group =
    model === undefined
      ? config.models.find((candidate) => candidate.name !== "*" && candidate.targets.length >= 2)
      : config.models.find((candidate) => candidate.name === model);
  if (group === undefined) {
    throw new Error(
      model === undefined
        ? "no model group with two or more targets to drill; name one with --model"
        : `no model group named ${model}`,
    );
  }
  const [primary, ...rest] = group.targets;
  const provider = config.providers.find((candidate) => candidate.name === primary?.provider);
  if (provider?.type !== "simulator") {
    throw new Error(
      `the first target of ${group.name} must be a simulator provider (drills inject its faults)`,
    );
  }
  if (rest.some((target) => target.provider === provider.name)) {
    throw new Error(
      `the primary's simulator ${provider.name} must not also serve the other targets of ${group.name}`,
    );
  }
  return group;
}

/** The config to drill: the scenario's faults on the primary's simulator, storage in memory, a loopback port. */
function drillConfig(
  config: SwitchyardConfig,
  scenario: DrillScenario,
  primaryProvider: string,
  dataDir: string,
  masterKey: string,
): SwitchyardConfig {
  return {
    ...config,
    server: { ...config.server, host: "127.0.0.1", port: 0 },
    storage: { url: "sqlite::memory:", schema: undefined },
    audit: {
      ...config.audit,
      signingKeyFile: path.join(dataDir, "audit-signing-key.pem"),
      signingKey: undefined,
    },
    masterKey,
    providers: config.providers.map((provider) =>
      provider.name !== primaryProvider || provider.simulator === undefined
        ? provider
        : {
            ...provider,
            simulator: {
              ...provider.simulator,
              faults: scenario.primaryFaults,
              latencyMs: scenario.primaryLatencyMs ?? provider.simulator.latencyMs,
            },
          },
    ),
  };
}

async function sendOne(
  url: string,
  masterKey: string,
  agent: Agent,
  ask: { readonly model: string; readonly stream: boolean; readonly outputTokens: number },
): Promise<RequestOutcome> {
  const began = performance.now();
  const base = { stream: ask.stream, target: null, fallback: false, retries: 0 };
  try {
    const response = await request(`${url}/v1/chat/completions`, {
      method: "POST",
      dispatcher: agent,
      headers: {
        authorization: `Bearer ${masterKey}`,
        "content-type": "application/json",
        "x-simulator-output-tokens": String(ask.outputTokens),
      },
      body: JSON.stringify({
        model: ask.model,
        stream: ask.stream,
        messages: [{ role: "user", content: "Describe a railway switchyard in one paragraph." }],
      }),
    });
    const text = await response.body.text();
    const header = (name: string) => {
      const value = response.headers[name];
      return typeof value === "string" ? value : null;
    };
    const described = {
      stream: ask.stream,
      latencyMs: performance.now() - began,
      target: header("x-switchyard-target"),
      fallback: header("x-switchyard-fallback") !== null,
      retries: Number(header("x-switchyard-retries") ?? 0),
    };
    if (response.statusCode >= 400) return { ...described, ok: false, signalled: text.includes('"error"') };
    if (!ask.stream) return { ...described, ok: true, signalled: false };
    if (text.includes('data: {"error"')) return { ...described, ok: false, signalled: true };
    return { ...described, ok: text.trimEnd().endsWith("data: [DONE]"), signalled: false };
  } catch {
    return { ...base, ok: false, signalled: false, latencyMs: performance.now() - began };
  }
}
