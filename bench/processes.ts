import { type ChildProcess, fork, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import type { ChildMessage, ChildRole, LoadRequest } from "./child-protocol.js";

const childMain = fileURLToPath(new URL("./child-main.ts", import.meta.url));

export interface SwitchyardLaunch {
  readonly repoRoot: string;
  readonly configFile: string;
  readonly dataDir: string;
  readonly port: number;
  readonly masterKey: string;
  /** Extra node flags, e.g. `--cpu-prof`. */
  readonly nodeArgs: readonly string[];
  /** Extra environment variables for this process only. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface ServerChild {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
}

/** Every process the bench starts, so that all of them are stopped at the end, also after a failure. */
export class ProcessGroup {
  readonly #children = new Set<ChildProcess>();
  readonly #output = new Map<ChildProcess, string[]>();

  /** Forks a server role (`mock-upstream`, `minimal-proxy`) and resolves with the port it listens on. */
  async forkServer(
    role: Exclude<ChildRole, "load">,
    args: readonly string[],
    nodeArgs: readonly string[] = [],
  ): Promise<ServerChild> {
    const child = this.#fork(role, args, nodeArgs);
    const first = await this.nextMessage(child, 30_000);
    if (first.kind !== "listening") throw new Error(`${role} child did not start: ${JSON.stringify(first)}`);
    if (child.pid === undefined) throw new Error(`${role} child has no pid`);
    return { child, pid: child.pid, port: first.port };
  }

  /** Runs one load job in a fresh child (so the client never shares an event loop with a server). */
  async runLoadChild(request: LoadRequest): Promise<ChildMessage> {
    const child = this.#fork("load", [], []);
    try {
      const ready = await this.nextMessage(child, 30_000);
      if (ready.kind !== "ready") throw new Error(`load child did not start: ${JSON.stringify(ready)}`);
      child.send(request);
      const budgetMs = (request.job.warmupS + request.job.durationS) * 1000 + 60_000;
      return await this.nextMessage(child, budgetMs);
    } finally {
      await this.stop(child);
    }
  }

  /** Resolves with the child's next IPC message; rejects if it exits first or the time runs out. */
  nextMessage(child: ChildProcess, timeoutMs: number): Promise<ChildMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`no message from child within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onMessage = (message: ChildMessage) => finish(undefined, message);
      const onExit = (code: number | null, signal: string | null) =>
        finish(new Error(`child exited (code ${code}, signal ${signal}) before answering`));
      const finish = (error: Error | undefined, message?: ChildMessage) => {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
        if (message !== undefined) resolve(message);
        else reject(error);
      };
      child.on("message", onMessage);
      child.once("exit", onExit);
    });
  }

  /** Starts Switchyard exactly as a user would, and waits until `/healthz` answers. */
  async startSwitchyard(launch: SwitchyardLaunch): Promise<ServerChild> {
    const child = spawn(
      process.execPath,
      [
        ...launch.nodeArgs,
        "bin/switchyard.js",
        "serve",
        "--config",
        launch.configFile,
        "--data-dir",
        launch.dataDir,
        "--port",
        String(launch.port),
      ],
      {
        cwd: launch.repoRoot,
        env: {
          ...process.env,
          ...launch.env,
          SWITCHYARD_MASTER_KEY: launch.masterKey,
          SWITCHYARD_LOG_LEVEL: "warn",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    this.#track(child);
    const lines: string[] = [];
    this.#output.set(child, lines);
    const keep = (chunk: Buffer) => {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      if (lines.length > 200) lines.splice(0, lines.length - 200);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      try {
        const response = await fetch(`http://127.0.0.1:${launch.port}/healthz`, {
          signal: AbortSignal.timeout(1000),
        });
        if (response.ok && child.pid !== undefined) return { child, pid: child.pid, port: launch.port };
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`Switchyard did not become healthy:\n${this.outputOf(child)}`);
  }

  /** The last lines a spawned (non-forked) child wrote, for error reports. */
  outputOf(child: ChildProcess): string {
    return (this.#output.get(child) ?? []).join("\n");
  }

  /** SIGTERM, then SIGKILL after a grace period, for one child. */
  async stop(child: ChildProcess, graceMs = 5000): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#children].map((child) => this.stop(child)));
  }

  #fork(role: ChildRole, args: readonly string[], nodeArgs: readonly string[]): ChildProcess {
    const child = fork(childMain, [role, ...args], {
      execArgv: ["--import", "tsx", ...nodeArgs],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      serialization: "advanced",
    });
    this.#track(child);
    return child;
  }

  #track(child: ChildProcess): void {
    this.#children.add(child);
    child.once("exit", () => this.#children.delete(child));
  }
}

/** A port that was free a moment ago (for Switchyard, which takes its port on the command line). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("could not pick a free port");
  return address.port;
}
