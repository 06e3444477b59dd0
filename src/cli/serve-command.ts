import { pino } from "pino";
import { loadConfigFile, processEnvironment } from "../config/load-config.js";
import { startSwitchyard } from "../main.js";
import { type ConfigSourceOptions, loadCliConfig, printLine } from "./cli-context.js";

/** `switchyard serve`: runs until SIGINT/SIGTERM; SIGHUP reloads the config file without dropping requests. */
export async function serveCommand(options: ConfigSourceOptions): Promise<void> {
  const config = await loadCliConfig(options);
  const logger = pino({ level: config.logLevel });
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));
  process.on("uncaughtException", (error) =>
    logger.fatal({ err: error }, "uncaught exception; still serving"),
  );
  const running = await startSwitchyard(config, logger);
  printLine(`Switchyard listening on ${running.url} (storage: ${running.storage.dialect})`);
  for (const provider of running.providerSummary) printLine(`  provider: ${provider}`);
  if (config.providers.every((provider) => provider.type === "simulator")) {
    printLine(
      "  No provider key is configured: every model is served by the built-in SIMULATOR, not a real model.",
    );
    printLine(
      "  Set OPENAI_API_KEY (and OPENAI_BASE_URL for compatible servers) or use --config to call real ones.",
    );
  }
  if (running.generatedMasterKey !== undefined) {
    printLine(`  Master key (shown once, stored hashed): ${running.generatedMasterKey}`);
  }

  let reloading = Promise.resolve();
  process.on("SIGHUP", () => {
    reloading = reloading.then(async () => {
      if (options.config === undefined) {
        logger.warn("SIGHUP ignored: serving from the environment, there is no config file to reload");
        return;
      }
      try {
        const next = await loadConfigFile(options.config, processEnvironment(), {
          port: config.server.port,
          host: config.server.host,
          dataDir: options.dataDir,
        });
        const warnings = await running.reload(next);
        for (const warning of warnings) logger.warn(warning);
        logger.info({ file: options.config }, "configuration reloaded");
      } catch (error) {
        logger.error(
          { err: error },
          "configuration reload rejected; the previous configuration keeps serving",
        );
      }
    });
  });
  const stop = (signal: string) => {
    logger.info({ signal }, "shutting down");
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}
