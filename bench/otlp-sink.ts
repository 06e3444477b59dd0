import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A no-op OTLP/HTTP receiver: reads each export to the end and answers 200, like a healthy collector. */
export async function startOtlpSink(): Promise<{ port: number }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => response.writeHead(200, { "content-type": "application/json" }).end("{}"));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port };
}
