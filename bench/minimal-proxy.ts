import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent, request } from "undici";

export interface MinimalProxyOptions {
  /** e.g. http://127.0.0.1:9000/v1 */
  readonly upstreamBaseUrl: string;
  readonly upstreamApiKey: string;
  /** Public model name to upstream model name. */
  readonly models: Readonly<Record<string, string>>;
}

/**
 * The practical ceiling for a Node proxy: the least work any gateway must do (parse the request, rewrite the
 * model, forward over a keep-alive pool, parse the answer for usage, relay the bytes) and nothing more.
 */
export async function startMinimalProxy(
  options: MinimalProxyOptions,
  port = 0,
): Promise<{ server: Server; port: number }> {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 256 });
  const upstreamUrl = `${options.upstreamBaseUrl.replace(/\/+$/, "")}/chat/completions`;

  async function forward(incoming: Buffer, response: ServerResponse): Promise<void> {
    const body = JSON.parse(incoming.toString("utf8")) as Record<string, unknown>;
    const upstreamModel = options.models[String(body.model)];
    if (upstreamModel === undefined) {
      response.writeHead(404, { "content-type": "application/json" });
      response.end('{"error":{"message":"unknown model","type":"invalid_request_error"}}');
      return;
    }
    body.model = upstreamModel;
    const upstream = await request(upstreamUrl, {
      method: "POST",
      dispatcher,
      headers: { "content-type": "application/json", authorization: `Bearer ${options.upstreamApiKey}` },
      body: JSON.stringify(body),
    });
    if (body.stream === true) {
      response.writeHead(upstream.statusCode, { "content-type": "text/event-stream; charset=utf-8" });
      for await (const chunk of upstream.body) response.write(chunk);
      response.end();
      return;
    }
    const bytes = Buffer.from(await upstream.body.arrayBuffer());
    const parsed = JSON.parse(bytes.toString("utf8")) as { usage?: unknown };
    response.writeHead(upstream.statusCode, {
      "content-type": "application/json",
      "content-length": bytes.byteLength,
      "x-usage-seen": parsed.usage === undefined ? "0" : "1",
    });
    response.end(bytes);
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      forward(Buffer.concat(chunks), response).catch((error: unknown) => {
        if (response.headersSent) {
          response.destroy();
          return;
        }
        response.writeHead(502, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: { message: String(error), type: "proxy_error" } }));
      });
    });
  }

  const server = createServer(handle);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}
