import { Command, CommanderError } from "commander";
import { ConfigError } from "../config/load-config.js";
import {
  auditExportCommand,
  auditPublicKeyCommand,
  auditTailCommand,
  auditVerifyCommand,
} from "./audit-commands.js";
import { configCheckCommand, initCommand } from "./config-commands.js";
import { drillCommand } from "./drill-command.js";
import {
  keysCreateCommand,
  keysListCommand,
  keysRevokeCommand,
  keysRotateCommand,
  keysUpdateCommand,
} from "./keys-commands.js";
import { leversClearCommand, leversListCommand, leversSetCommand } from "./levers-commands.js";
import { logsQueryCommand, logsTailCommand } from "./logs-commands.js";
import { reportUsageCommand } from "./report-commands.js";
import { scanCommand } from "./scan-command.js";
import { serveCommand } from "./serve-command.js";
import { simulatorCommand } from "./simulator-command.js";
import type { OutputOptions, SloStatusOptions } from "./slo-commands.js";
import {
  projectsCreateCommand,
  projectsDeleteCommand,
  projectsListCommand,
  projectsRenameCommand,
  teamsCreateCommand,
  teamsDeleteCommand,
  teamsListCommand,
  teamsRenameCommand,
} from "./tenancy-commands.js";

/** Loaded on use: rule and dashboard generation need modules (prom-client, …) other commands do not. */
const sloCommands = () => import("./slo-commands.js");

function withConfigSource(command: Command): Command {
  return command
    .option("-c, --config <file>", "YAML config file (default: providers from the environment)")
    .option("--data-dir <dir>", "where the embedded SQLite database lives", ".switchyard");
}

export function buildProgram(): Command {
  const program = new Command("switchyard")
    .description("Self-hosted LLM gateway: OpenAI-compatible routing, virtual keys, request logs.")
    .showHelpAfterError()
    .exitOverride();

  withConfigSource(program.command("serve").description("start the gateway"))
    .option("-p, --port <port>", "port to listen on (default 4000, or PORT)")
    .option("--host <host>", "address to bind")
    .action(serveCommand);

  const config = program.command("config").description("work with config files");
  config
    .command("check <file>")
    .description("validate a config file without serving")
    .action(configCheckCommand);
  program
    .command("init [file]")
    .description("write a commented starter config")
    .option("--force", "overwrite an existing file")
    .action((file: string | undefined, options: { force?: boolean }) =>
      initCommand(file ?? "switchyard.yaml", options),
    );

  const keys = program.command("keys").description("manage virtual keys");
  withConfigSource(keys.command("create").description("create a virtual key; prints the secret once"))
    .requiredOption("--name <name>", "a name to recognise the key by")
    .option("--models <list>", "comma-separated public model names the key may use (default: all)")
    .option("--endpoints <list>", "comma-separated operations: chat.completions, embeddings (default: all)")
    .option("--team <idOrName>", "the team the key belongs to (without --project: a team-level key)")
    .option("--project <idOrName>", "the project the key belongs to (its team follows)")
    .option("--user <id>", "the person the key belongs to (e-mail or directory id)")
    .option("--role <role>", "admin API role: admin, operator, developer, viewer or none", "none")
    .option("--expires <when>", "a duration from now (30d, 12h) or a date; default never")
    .option("--metadata <pairs>", "tags as name=value pairs, e.g. feature=search,env=prod")
    .option("--json", "print JSON")
    .action(keysCreateCommand);
  withConfigSource(keys.command("list").description("list virtual keys (never their secrets)"))
    .option("--json", "print one JSON object per line")
    .action(keysListCommand);
  withConfigSource(keys.command("rotate <id>").description("give a key a new secret; prints it once"))
    .option("--grace <duration>", "how long the old secret keeps working (0, 15m, 1h, 7d)", "1h")
    .option("--json", "print JSON")
    .action(keysRotateCommand);
  withConfigSource(
    keys.command("update <id>").description("change a key's name, models, role, user or expiry"),
  )
    .option("--name <name>", "a new name")
    .option("--models <list>", "comma-separated public model names (empty string: all)")
    .option("--endpoints <list>", "comma-separated operations (empty string: all)")
    .option("--role <role>", "admin, operator, developer, viewer or none")
    .option("--user <id>", "the person the key belongs to")
    .option("--expires <when>", "a duration from now, a date, or never")
    .option("--json", "print JSON")
    .action(keysUpdateCommand);
  withConfigSource(
    keys.command("revoke <idOrPrefix>").description("revoke a key by id or display prefix"),
  ).action(keysRevokeCommand);

  const levers = program.command("levers").description("incident levers, applied by every gateway node");
  withConfigSource(levers.command("list").description("levers in force"))
    .option("--json", "print one JSON object per line")
    .action(leversListCommand);
  withConfigSource(
    levers
      .command("set <kind>")
      .description("set a lever: disable-target, force-fallback, cap-max-tokens, timeout or disable-tools"),
  )
    .requiredOption("--reason <text>", "why (audited)")
    .option("--group <name>", "the model group (all kinds but disable-target)")
    .option("--target <provider/model>", "the target to disable (disable-target)")
    .option("--max-tokens <n>", "the cap (cap-max-tokens)")
    .option("--first-token-ms <n>", "first-token timeout (timeout)")
    .option("--total-ms <n>", "total timeout (timeout)")
    .option("--expires <duration>", "lapse by itself after this long (15m, 2h)")
    .option("--json", "print JSON")
    .action(leversSetCommand);
  withConfigSource(levers.command("clear <id>").description("clear (reverse) a lever"))
    .requiredOption("--reason <text>", "why (audited)")
    .action(leversClearCommand);

  const teams = program.command("teams").description("manage teams");
  withConfigSource(teams.command("create").description("create a team"))
    .requiredOption("--name <name>", "a unique team name")
    .option("--json", "print JSON")
    .action(teamsCreateCommand);
  withConfigSource(teams.command("list").description("list teams"))
    .option("--json", "print one JSON object per line")
    .action(teamsListCommand);
  withConfigSource(teams.command("rename <idOrName>").description("rename a team"))
    .requiredOption("--name <name>", "the new name")
    .option("--json", "print JSON")
    .action(teamsRenameCommand);
  withConfigSource(
    teams.command("delete <idOrName>").description("delete a team without projects or keys"),
  ).action(teamsDeleteCommand);

  const projects = program.command("projects").description("manage projects (each belongs to a team)");
  withConfigSource(projects.command("create").description("create a project in a team"))
    .requiredOption("--team <idOrName>", "the team it belongs to, for good")
    .requiredOption("--name <name>", "a name unique within the team")
    .option("--json", "print JSON")
    .action(projectsCreateCommand);
  withConfigSource(projects.command("list").description("list projects"))
    .option("--team <idOrName>", "only this team's")
    .option("--json", "print one JSON object per line")
    .action(projectsListCommand);
  withConfigSource(projects.command("rename <idOrName>").description("rename a project"))
    .requiredOption("--name <name>", "the new name")
    .option("--team <idOrName>", "the project's team, when its name is not unique")
    .option("--json", "print JSON")
    .action(projectsRenameCommand);
  withConfigSource(projects.command("delete <idOrName>").description("delete a project without keys"))
    .option("--team <idOrName>", "the project's team, when its name is not unique")
    .action(projectsDeleteCommand);

  const logs = program.command("logs").description("read the request log");
  withConfigSource(logs.command("tail").description("print recent requests, then follow new ones"))
    .option("-n, --lines <n>", "how many recent rows to print first", "20")
    .option("--no-follow", "print the recent rows and exit")
    .option("--interval-ms <ms>", "how often to look for new rows", "1000")
    .option("--json", "print one JSON object per line")
    .action(logsTailCommand);
  withConfigSource(logs.command("query").description("search the request log"))
    .option("--since <when>", "a duration back from now (15m, 1h, 7d) or a date")
    .option("--until <when>", "a duration back from now or a date")
    .option("--status <status>", "an exact status (429) or a class (5xx)")
    .option("--model <name>", "the public model name asked for")
    .option("--key <id>", "a virtual key id")
    .option("--team <team>", "the calling key's team (its team metadata)")
    .option("--project <project>", "the calling key's project (its project metadata)")
    .option("--target <provider/model>", "the target that served or last failed, e.g. openai/gpt-4o")
    .option("--min-latency-ms <ms>", "requests at least this slow")
    .option("--trace-id <id>", "the OpenTelemetry trace id (when tracing was on)")
    .option("--min-cost-usd <usd>", "priced requests costing at least this much")
    .option("--tag <name=value>", "requests whose key carried this attribution tag")
    .option("--end-user <hash>", "the hashed end user, as logged (end_user)")
    .option("--cursor <token>", "continue after the page that printed this token")
    .option("--limit <n>", "most rows per page", "100")
    .option("--format <format>", "table, json (one object per line) or csv", "table")
    .option("--json", "same as --format json")
    .action(logsQueryCommand);

  const report = program.command("report").description("cost and usage reports from the request log");
  withConfigSource(
    report.command("usage").description("requests, tokens, cost, cache savings, errors, p95 latency"),
  )
    .option("--from <when>", "a duration back from now (7d) or a date; default 30d")
    .option("--to <when>", "a duration back from now or a date (exclusive); default now")
    .option("--group-by <list>", "team, project, model, target, key, tag, tag:<name>", "team,project,model")
    .option("--format <format>", "table, csv, md or html (with charts)", "table")
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(reportUsageCommand);

  const audit = program.command("audit").description("check and export the tamper-evident audit log");
  withConfigSource(audit.command("verify").description("check the hash chain and signed checkpoints"))
    .option("--public-key <file>", "PEM public key to check signatures with (default: the configured key)")
    .option("--json", "print the result as JSON")
    .action(auditVerifyCommand);
  withConfigSource(audit.command("export").description("write records and checkpoints as JSONL evidence"))
    .requiredOption("--from <iso>", "first moment to include (ISO 8601)")
    .option("--to <iso>", "moment to stop before (ISO 8601; default now)")
    .option("--output <file>", "write to a new file instead of stdout")
    .action(auditExportCommand);
  withConfigSource(audit.command("tail").description("print recent audit records, then follow new ones"))
    .option("-n, --lines <n>", "how many recent records to print first", "20")
    .option("--no-follow", "print the recent records and exit")
    .option("--interval-ms <ms>", "how often to look for new records", "1000")
    .option("--json", "print one JSON object per line")
    .action(auditTailCommand);
  withConfigSource(
    audit
      .command("public-key")
      .description("print the public key verifiers need (creates the key if missing)"),
  ).action(auditPublicKeyCommand);

  withConfigSource(
    program
      .command("scan [file]")
      .description("run the safety detectors over text lines or JSONL (FILE or - for stdin); JSONL out"),
  )
    .option("--field <path>", "read each line as JSON and scan this (dotted) field")
    .option("--detectors <list>", "comma-separated: pii,secrets,injection,moderation (default: all)")
    .option("--stage <stage>", "which policies to simulate: input, indirect, output, tool-call", "input")
    .option("--model <name>", "simulate policies scoped to this public model name")
    .option("--key <idOrName>", "simulate policies scoped to this key")
    .option("--risk-tier <tier>", "simulate policies scoped to this risk tier")
    .option(
      "--injection-threshold <score>",
      "report injection scores from this score on (0: every text's score, for evaluation)",
    )
    .option("--no-progress", "never show a progress bar")
    .action(scanCommand);

  withConfigSource(
    program
      .command("drill")
      .description(
        "run a failure drill against the config's simulator targets and check the acceptance figures",
      ),
  )
    .requiredOption("--scenario <name>", "primary-faults, mid-stream-cuts, primary-down or latency-spike")
    .option("--model <name>", "model group to drill (default: the first with two or more targets)")
    .option("--requests <n>", "requests to send", "2000")
    .option("--concurrency <n>", "requests in flight at once", "50")
    .option("--json", "print the result as one JSON object")
    .action(drillCommand);

  const slo = program.command("slo").description("service level objectives and burn-rate alerts");
  withConfigSource(slo.command("status").description("budget remaining and burn rates, from storage"))
    .option("--json", "print one JSON object per SLO")
    .action(async (options: SloStatusOptions) => (await sloCommands()).sloStatusCommand(options));
  withConfigSource(
    slo.command("rules").description("write Prometheus recording and alerting rules for the SLOs"),
  )
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(async (options: OutputOptions) => (await sloCommands()).sloRulesCommand(options));
  const grafana = program.command("grafana").description("Grafana integration");
  grafana
    .command("dashboard")
    .description("write a Grafana dashboard JSON for the gateway")
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(async (options: { output?: string }) => (await sloCommands()).grafanaDashboardCommand(options));

  program
    .command("simulator")
    .description("run the built-in OpenAI-compatible simulator on its own")
    .option("-p, --port <port>", "port", "9000")
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option("--latency-ms <ms>", "delay before each response")
    .option("--tokens-per-second <n>", "streaming pace (0: as fast as possible)")
    .action(simulatorCommand);
  return program;
}

/** Entry point for `bin/switchyard.js`: errors print one clear line and set a non-zero exit code. */
export async function runCli(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`switchyard: ${message}\n`);
    process.exitCode = 1;
  }
}
