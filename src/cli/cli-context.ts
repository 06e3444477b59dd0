import { hostname, userInfo } from "node:os";
import { configFromEnvironment, loadConfigFile, processEnvironment } from "../config/load-config.js";
import type { AuditActor } from "../core/audit-record.js";
import type { SwitchyardConfig } from "../core/gateway-config.js";

export interface ConfigSourceOptions {
  readonly config?: string;
  readonly dataDir?: string;
  readonly port?: string;
  readonly host?: string;
}

/** Loads the config the same way `serve` does, so every command sees the same storage. */
export function loadCliConfig(options: ConfigSourceOptions): Promise<SwitchyardConfig> | SwitchyardConfig {
  const overrides = {
    port: options.port === undefined ? undefined : parsePortOption(options.port),
    host: options.host,
    dataDir: options.dataDir,
  };
  return options.config === undefined
    ? configFromEnvironment(processEnvironment(), overrides)
    : loadConfigFile(options.config, processEnvironment(), overrides);
}

export function parsePortOption(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--port: not a port number: ${value}`);
  return port;
}

/** Writes a line to stdout; commands print results, never logs, there. */
export function printLine(line = ""): void {
  process.stdout.write(`${line}\n`);
}

/** Who the audit log names for a command run at this terminal: the operating-system user and host. */
export function cliActor(): AuditActor {
  const user = userInfo().username;
  return { kind: "cli-user", id: user, display: `${user}@${hostname()}` };
}
