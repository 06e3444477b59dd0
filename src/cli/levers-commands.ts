import type { Lever } from "../core/lever.js";
import { withAdminServices } from "./admin-cli-services.js";
import { type ConfigSourceOptions, printLine } from "./cli-context.js";
import { parseDurationMs } from "./parse-duration.js";

export interface LeversSetOptions extends ConfigSourceOptions {
  readonly reason: string;
  readonly group?: string;
  readonly target?: string;
  readonly maxTokens?: string;
  readonly firstTokenMs?: string;
  readonly totalMs?: string;
  readonly expires?: string;
  readonly json?: boolean;
}

function wholeNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new Error(`${flag}: a positive whole number; got ${value}`);
  return parsed;
}

/** The parameters a lever kind takes, from the flags given; the service checks the combination. */
function paramsOf(kind: string, options: LeversSetOptions): Record<string, unknown> {
  const params: Record<string, unknown> = { kind };
  if (options.group !== undefined) params.group = options.group;
  if (options.target !== undefined) params.target = options.target;
  const numbers = {
    maxTokens: wholeNumber("--max-tokens", options.maxTokens),
    firstTokenMs: wholeNumber("--first-token-ms", options.firstTokenMs),
    totalMs: wholeNumber("--total-ms", options.totalMs),
  };
  for (const [name, value] of Object.entries(numbers)) if (value !== undefined) params[name] = value;
  return params;
}

export function leversSetCommand(kind: string, options: LeversSetOptions): Promise<void> {
  return withAdminServices(
    options,
    async (services) => {
      const lever = await services.levers.set({
        params: paramsOf(kind, options),
        reason: options.reason,
        ...(options.expires === undefined ? {} : { expiresInMs: parseDurationMs(options.expires) }),
      });
      if (options.json === true) printLine(JSON.stringify(lever));
      else
        printLine(
          `Set lever ${lever.id}: ${describe(lever)}. Gateways apply it within levers.refreshIntervalMs.`,
        );
    },
    true,
  );
}

export function leversListCommand(options: ConfigSourceOptions & { json?: boolean }): Promise<void> {
  return withAdminServices(options, async (services) => {
    const levers = await services.levers.list();
    if (options.json === true) {
      for (const lever of levers) printLine(JSON.stringify(lever));
      return;
    }
    if (levers.length === 0) printLine("No lever is in force.");
    for (const lever of levers) {
      const expires =
        lever.expiresAt === null ? "until cleared" : `until ${new Date(lever.expiresAt).toISOString()}`;
      printLine(`${lever.id}  ${describe(lever)}  by ${lever.actor} ${expires}: ${lever.reason}`);
    }
  });
}

export function leversClearCommand(
  id: string,
  options: ConfigSourceOptions & { reason: string },
): Promise<void> {
  return withAdminServices(
    options,
    async (services) => {
      const lever = await services.levers.clear(id, options.reason);
      printLine(`Cleared lever ${lever.id} (${describe(lever)}).`);
    },
    true,
  );
}

function describe(lever: Lever): string {
  const { kind, ...params } = lever.params;
  const shown = Object.entries(params)
    .filter((entry) => entry[1] !== undefined)
    .map(([name, value]) => `${name}=${String(value)}`)
    .join(" ");
  return `${kind} ${shown}`;
}
