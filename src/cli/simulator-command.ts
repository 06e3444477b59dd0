import { simulatorSettingsSchema } from "../config/config-schema.js";
import { startStandaloneSimulator } from "../main.js";
import { parsePortOption, printLine } from "./cli-context.js";

export interface SimulatorCommandOptions {
  readonly port: string;
  readonly host: string;
  readonly latencyMs?: string;
  readonly tokensPerSecond?: string;
}

/** `switchyard simulator`: the built-in OpenAI-compatible upstream on its own, for drills and benchmarks. */
export async function simulatorCommand(options: SimulatorCommandOptions): Promise<void> {
  const settings = simulatorSettingsSchema.parse({
    ...(options.latencyMs === undefined ? {} : { latencyMs: Number(options.latencyMs) }),
    ...(options.tokensPerSecond === undefined ? {} : { tokensPerSecond: Number(options.tokensPerSecond) }),
  });
  const server = await startStandaloneSimulator(settings, options.host, parsePortOption(options.port));
  printLine(`Simulator (OpenAI-compatible) listening on ${server.url}/v1`);
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
