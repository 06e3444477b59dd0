import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const binPath = fileURLToPath(new URL("../../bin/switchyard.js", import.meta.url));
const builtEntry = fileURLToPath(new URL("../../dist/cli/run-cli.js", import.meta.url));

/** CLI tests run the built command exactly as users do; `npm test` builds first. */
export function assertBuilt(): void {
  if (!existsSync(builtEntry)) throw new Error("dist/ is missing: run `npm run build` (npm test does) first");
}

/** The environment of a child: no provider keys or master key leak in from the developer's shell. */
export function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  return { ...environment, SWITCHYARD_LOG_LEVEL: "warn", ...extra };
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion; `input`, when given, is its standard input. */
export function runCli(
  args: readonly string[],
  environment: NodeJS.ProcessEnv,
  cwd?: string,
  input?: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], { env: environment, cwd, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

export interface LongRunningCli {
  readonly child: ChildProcess;
  /** Everything printed to stdout so far. */
  output(): string;
  /** Resolves with the first match of `pattern` in stdout, as soon as it is printed. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts a long-running command (serve, simulator, logs tail) and watches its output. */
export function startCli(
  args: readonly string[],
  environment: NodeJS.ProcessEnv,
  cwd?: string,
): LongRunningCli {
  const child = spawn(process.execPath, [binPath, ...args], { env: environment, cwd, stdio: "pipe" });
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    for (const listener of listeners) listener();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return {
    child,
    output: () => stdout,
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = stdout.match(pattern);
          if (match === null) return;
          cleanup();
          resolve(match);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `no ${pattern} in output within ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`,
            ),
          );
        }, timeoutMs);
        const onExit = () => {
          cleanup();
          reject(
            new Error(`process exited before printing ${pattern}.\nstdout:\n${stdout}\nstderr:\n${stderr}`),
          );
        };
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off("close", onExit);
        };
        listeners.add(check);
        child.once("close", onExit);
        check();
      });
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A temp folder with `switchyard.yaml`: the simulator behind the model `assistant`, plus the given lines. */
export function simulatorWorkDir(prefix: string, extraYamlLines: readonly string[]): string {
  const workDir = mkdtempSync(path.join(tmpdir(), prefix));
  const yaml = [
    "providers: [{ name: sim, type: simulator }]",
    "models: [{ name: assistant, targets: [{ provider: sim, model: sim-1 }] }]",
    ...extraYamlLines,
    "",
  ];
  writeFileSync(path.join(workDir, "switchyard.yaml"), yaml.join("\n"));
  return workDir;
}

/** `switchyard serve` on that folder's config, on a free loopback port; resolves with its URL once it listens. */
export async function serveWorkDir(
  workDir: string,
  environment: NodeJS.ProcessEnv,
): Promise<{ server: LongRunningCli; url: string }> {
  const server = startCli(
    ["serve", "--config", "switchyard.yaml", "--port", "0", "--host", "127.0.0.1"],
    environment,
    workDir,
  );
  const [, url = ""] = await server.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
  return { server, url };
}
