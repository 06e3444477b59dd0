import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { pino } from "pino";
import { parseConfigText } from "../../src/config/load-config.js";
import { type RunningSwitchyard, type StartOptions, startSwitchyard } from "../../src/main.js";

export const testMasterKey = "sy-test-master-key";

export interface TestGateway {
  readonly running: RunningSwitchyard;
  readonly url: string;
  readonly dataDir: string;
  /** The official OpenAI client pointed at the gateway (master key unless another is given). */
  client(apiKey?: string): OpenAI;
  close(): Promise<void>;
}

/** Starts the real server in-process on a loopback port from YAML text, with SQLite in a fresh temp folder. */
export async function startTestGateway(
  yaml: string,
  environment: Record<string, string> = {},
  options: StartOptions = {},
): Promise<TestGateway> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "switchyard-test-"));
  const config = parseConfigText(
    yaml,
    path.join(dataDir, "switchyard.yaml"),
    { SWITCHYARD_MASTER_KEY: testMasterKey, ...environment },
    { port: 0, host: "127.0.0.1", dataDir },
  );
  const running = await startSwitchyard(config, pino({ level: "silent" }), options);
  return {
    running,
    url: running.url,
    dataDir,
    client: (apiKey = testMasterKey) => new OpenAI({ baseURL: `${running.url}/v1`, apiKey, maxRetries: 0 }),
    async close() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A config with one mock upstream behind two public names, plus a fallback pair. */
export function mockUpstreamConfig(upstreamUrl: string, extra = ""): string {
  return `
providers:
  - name: mock
    type: openai-compatible
    baseUrl: ${upstreamUrl}
    apiKey: upstream-secret
    headers: { OpenAI-Organization: org-test }
  - name: backup
    type: openai-compatible
    baseUrl: ${upstreamUrl}
    apiKey: backup-secret
models:
  - name: gpt-4o
    targets:
      - provider: mock
        model: gpt-4o-2024-08-06
        params: { temperature: 0.1 }
  - name: text-embedding-3-small
    targets:
      - provider: mock
  - name: resilient
    targets:
      - provider: mock
        model: primary-model
      - provider: backup
        model: backup-model
keys:
  refreshIntervalMs: 20
requestLog:
  flushIntervalMs: 60000
${extra}`;
}
