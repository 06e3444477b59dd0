import type { ChildMessage, ChildRole, LoadRequest } from "./child-protocol.js";

// Entry of every forked bench child: `child-main.ts <role> [args]`, talking to the parent over IPC.
// Roles import their modules lazily, so that no server process carries the load generator's code.

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function main(role: ChildRole, args: readonly string[]): Promise<void> {
  switch (role) {
    case "mock-upstream": {
      // Optional args `<content chunks> <gap ms>`: stream at that pace (the paced streaming case).
      const { startMockUpstream } = await import("./mock-upstream.js");
      const [contentChunks, gapMs] = args.map(Number);
      const { port } = await startMockUpstream(
        0,
        contentChunks === undefined || gapMs === undefined ? undefined : { contentChunks, gapMs },
      );
      send({ kind: "listening", port });
      return;
    }
    case "minimal-proxy": {
      const { startMinimalProxy } = await import("./minimal-proxy.js");
      const { benchModel } = await import("./mock-upstream.js");
      const upstreamBaseUrl = args[0];
      if (upstreamBaseUrl === undefined) throw new Error("minimal-proxy needs the upstream base URL");
      const { port } = await startMinimalProxy({
        upstreamBaseUrl,
        upstreamApiKey: "mock-key",
        models: { [benchModel]: benchModel },
      });
      send({ kind: "listening", port });
      return;
    }
    case "otlp-sink": {
      const { startOtlpSink } = await import("./otlp-sink.js");
      const { port } = await startOtlpSink();
      send({ kind: "listening", port });
      return;
    }
    case "load": {
      const { runLoad, runStreamLoad } = await import("./load.js");
      const { runPacedStreamLoad } = await import("./paced-stream-load.js");
      process.once("message", (message: LoadRequest) => {
        const done =
          message.kind === "load"
            ? runLoad(message.job).then((slice) => send({ kind: "load-result", slice }))
            : message.kind === "stream"
              ? runStreamLoad(message.job).then((slice) => send({ kind: "stream-result", slice }))
              : runPacedStreamLoad(message.job).then((slice) => send({ kind: "paced-stream-result", slice }));
        done.catch((error: unknown) => send({ kind: "failed", message: String(error) }));
      });
      send({ kind: "ready" });
      return;
    }
  }
}

if (process.send === undefined) {
  console.error("child-main.ts is started by bench/run.ts over IPC, not directly");
  process.exit(2);
}
// Without the parent there is nobody to report to: never linger as an orphan.
process.on("disconnect", () => process.exit(0));
// A clean exit on SIGTERM lets `--cpu-prof` write its profile.
process.on("SIGTERM", () => process.exit(0));
const roles: readonly string[] = [
  "mock-upstream",
  "minimal-proxy",
  "otlp-sink",
  "load",
] satisfies ChildRole[];
const isRole = (value: string): value is ChildRole => roles.includes(value);
const [role = "", ...args] = process.argv.slice(2);
if (!isRole(role)) {
  console.error(`unknown bench child role ${JSON.stringify(role)}`);
  process.exit(2);
}
main(role, args).catch((error: unknown) => {
  send({ kind: "failed", message: String(error) });
  process.exitCode = 1;
});
