import { access, writeFile } from "node:fs/promises";
import { ConfigError, loadConfigFile, processEnvironment } from "../config/load-config.js";
import { printLine } from "./cli-context.js";
import { starterConfig } from "./starter-config.js";

/** `switchyard config check FILE`: exit 0 and a summary when valid, exit 1 with every problem otherwise. */
export async function configCheckCommand(file: string): Promise<void> {
  try {
    const config = await loadConfigFile(file, processEnvironment());
    printLine(`${file}: valid.`);
    printLine(
      `  providers: ${config.providers.map((provider) => `${provider.name} (${provider.type})`).join(", ")}`,
    );
    printLine(`  models: ${config.models.map((group) => group.name).join(", ")}`);
    printLine(`  storage: ${config.storage.url.replace(/\/\/[^@/]*@/, "//***@")}`);
    if (config.slos.length > 0) {
      printLine(`  slos: ${config.slos.map((slo) => slo.name).join(", ")}`);
      printLine(
        `  slo webhooks: ${config.sloAlerting.webhooks.map((hook) => `${hook.name} (${hook.format})`).join(", ") || "none"}`,
      );
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

export async function initCommand(file: string, options: { force?: boolean }): Promise<void> {
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  if (exists && options.force !== true)
    throw new Error(`${file} already exists; pass --force to overwrite it`);
  await writeFile(file, starterConfig, "utf8");
  printLine(`Wrote ${file}. Check it with: switchyard config check ${file}`);
  printLine(`Serve it with: switchyard serve --config ${file}`);
}
