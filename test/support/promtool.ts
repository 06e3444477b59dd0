import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);
const inCi = process.env.CI !== undefined && process.env.CI !== "";

/** Whether Debian's `promtool` is installed; absent on a developer machine skips, absent under CI fails. */
export async function promtoolAvailability(suite: string): Promise<{ skip: boolean; missing: boolean }> {
  const found = await run("promtool", ["--version"]).then(
    () => true,
    () => false,
  );
  if (!found && !inCi) {
    console.warn(
      `Skipping ${suite}: promtool is not installed (apt-get install prometheus). Set CI to fail.`,
    );
  }
  return { skip: !found && !inCi, missing: !found };
}

/** Runs promtool; resolves with its output whatever the exit code, so tests can show why it failed. */
export async function promtool(args: readonly string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run("promtool", [...args]);
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? 1, output: `${failure.stdout ?? ""}${failure.stderr ?? ""}` };
  }
}
