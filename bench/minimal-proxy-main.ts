import { startMinimalProxy } from "./minimal-proxy.js";
import { benchModel } from "./mock-upstream.js";

// Entry for running the minimal proxy as a plain process (under valgrind in `instructions.ts`, where the bench's
// IPC-forked children cannot be used): `minimal-proxy-main.ts <upstream base URL> <port>`.
const [upstreamBaseUrl, port] = process.argv.slice(2);
if (upstreamBaseUrl === undefined || port === undefined) {
  console.error("usage: minimal-proxy-main.ts <upstream base URL> <port>");
  process.exit(2);
}
await startMinimalProxy(
  { upstreamBaseUrl, upstreamApiKey: "mock-key", models: { [benchModel]: benchModel } },
  Number(port),
);
