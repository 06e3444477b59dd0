import path from "node:path";
import { pacedModel } from "./paced-stream-case.js";

/**
 * The YAML config of a benchmarked Switchyard: one mock OpenAI-compatible upstream serving `gpt-4o-mini`, SQLite
 * in `dataDir`. `tracesPort`: trace every request to the OTLP sink listening there (all sampled). `pacedPort`: the
 * paced mock, served as model `gpt-4o-mini-paced`.
 */
export function benchConfig(
  mockPort: number,
  dataDir: string,
  port: number,
  tracesPort?: number,
  pacedPort?: number,
): string {
  return [
    `server: { host: 127.0.0.1, port: ${port} }`,
    `storage: { url: ${JSON.stringify(`sqlite:${path.join(dataDir, "bench.db")}`)} }`,
    ...(tracesPort === undefined
      ? []
      : [`telemetry: { traces: { enabled: true, endpoint: "http://127.0.0.1:${tracesPort}/v1/traces" } }`]),
    "providers:",
    "  - name: mock",
    "    type: openai-compatible",
    `    baseUrl: http://127.0.0.1:${mockPort}/v1`,
    "    apiKey: mock-key",
    ...(pacedPort === undefined
      ? []
      : [
          "  - name: paced",
          "    type: openai-compatible",
          `    baseUrl: http://127.0.0.1:${pacedPort}/v1`,
          "    apiKey: mock-key",
        ]),
    "models:",
    "  - name: gpt-4o-mini",
    "    targets:",
    "      - provider: mock",
    "        model: gpt-4o-mini",
    ...(pacedPort === undefined
      ? []
      : [`  - name: ${pacedModel}`, "    targets:", "      - provider: paced", "        model: gpt-4o-mini"]),
    "",
  ].join("\n");
}
