import { type ConfigSourceOptions, loadCliConfig, printLine } from "./cli-context.js";
import { formatDrillResult } from "./drill/drill-report.js";
import { drillScenarios, isDrillScenarioName } from "./drill/drill-scenarios.js";
import { runDrill } from "./drill/run-drill.js";

export interface DrillCommandOptions extends ConfigSourceOptions {
  readonly scenario: string;
  readonly model?: string;
  readonly requests: string;
  readonly concurrency: string;
  readonly json?: boolean;
}

/** `switchyard drill`: runs a failure drill against the config's simulator targets; exit code 1 when it fails. */
export async function drillCommand(options: DrillCommandOptions): Promise<void> {
  if (!isDrillScenarioName(options.scenario)) {
    throw new Error(
      `--scenario: unknown scenario ${options.scenario}; one of ${Object.keys(drillScenarios).join(", ")}`,
    );
  }
  const requests = positiveInteger(options.requests, "--requests");
  const concurrency = positiveInteger(options.concurrency, "--concurrency");
  const config = await loadCliConfig(options);
  const result = await runDrill({
    config,
    scenario: options.scenario,
    requests,
    concurrency,
    model: options.model,
  });
  if (options.json === true) printLine(JSON.stringify(result));
  else
    for (const line of formatDrillResult(result, drillScenarios[options.scenario].description))
      printLine(line);
  if (!result.passed) process.exitCode = 1;
}

function positiveInteger(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${option}: expected a positive integer, got ${text}`);
  return value;
}
