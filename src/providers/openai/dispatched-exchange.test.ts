import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cancellation } from "../../core/cancellation.js";
import { isGatewayError } from "../../core/gateway-error.js";
import { dispatchPost } from "./dispatched-exchange.js";

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

describe("dispatchPost", () => {
  let handler: Handler = (_request, response) => response.end();
  const server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => handler(request, response, body));
  });
  const agent = new Agent({ keepAliveTimeout: 1000 });
  let url = "";

  beforeAll(async () => {
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions?api-version=1`;
  });
  afterAll(async () => {
    await agent.close();
    server.close();
  });

  const post = (signal = new Cancellation()) =>
    dispatchPost(agent, url, { "content-type": "application/json" }, '{"model":"m"}', signal, "Provider p");

  it("sends the body, path and query, and reads a body written in several chunks whole", async () => {
    let seen: { url: string | undefined; body: string } | undefined;
    handler = (request, response, body) => {
      seen = { url: request.url, body };
      response.writeHead(201, { "content-type": "application/json", "x-one": "1" });
      response.write('{"a":');
      setImmediate(() => response.end("2}"));
    };
    const response = await post();
    expect(response.status).toBe(201);
    expect(response.headers["x-one"]).toBe("1");
    expect(Buffer.from(await response.bytes()).toString()).toBe('{"a":2}');
    expect(seen).toEqual({ url: "/v1/chat/completions?api-version=1", body: '{"model":"m"}' });
  });

  it("yields a streamed body chunk by chunk, and all of a body larger than the pause threshold", async () => {
    const parts = Array.from({ length: 20 }, (_, index) => `${index}${"x".repeat(50_000)}`);
    handler = (_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      for (const part of parts) response.write(part);
      response.end("end");
    };
    const response = await post();
    let text = "";
    for await (const part of response.body) {
      text += Buffer.from(part).toString();
      // A slow reader: the connection is paused meanwhile and resumed once the queue drains.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(text).toBe(`${parts.join("")}end`);
  });

  it("aborts the exchange when the reader leaves the loop early", async () => {
    let serverSawClose: Promise<unknown> = Promise.resolve();
    handler = (_request, response) => {
      serverSawClose = once(response, "close");
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write("data: 1\n\n");
    };
    const response = await post();
    for await (const part of response.body) {
      expect(Buffer.from(part).toString()).toBe("data: 1\n\n");
      break;
    }
    await serverSawClose;
  });

  it("rejects with an AbortError when the signal is cancelled before the answer", async () => {
    handler = () => undefined;
    const signal = new Cancellation();
    const pending = post(signal);
    setImmediate(() => signal.cancel());
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });

  it("fails the body with a catalog transport error when the upstream cuts it", async () => {
    handler = (_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      response.write('{"partial":');
      setImmediate(() => response.destroy());
    };
    const response = await post();
    const failure = await response.bytes().catch((error: unknown) => error);
    expect(isGatewayError(failure) && failure.code).toBe("GW_ERR_UPSTREAM_UNREACHABLE");
  });

  it("rejects with GW_ERR_UPSTREAM_UNREACHABLE when nothing listens", async () => {
    const closed = createServer();
    closed.listen(0, "127.0.0.1");
    await once(closed, "listening");
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, "close");
    const failure = await dispatchPost(
      agent,
      `http://127.0.0.1:${port}/x`,
      {},
      "{}",
      new Cancellation(),
      "Provider p",
    ).catch((error: unknown) => error);
    expect(isGatewayError(failure) && failure.code).toBe("GW_ERR_UPSTREAM_UNREACHABLE");
    expect(String((failure as Error).message)).toContain("Provider p is unreachable");
  });

  it("refuses a second read of the same body", async () => {
    handler = (_request, response) => response.end("{}");
    const response = await post();
    await response.bytes();
    expect(() => response.bytes()).toThrow(/read only once/);
  });
});
