import { connect, type Socket } from "node:net";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type MockOpenAiUpstream, startMockOpenAiUpstream } from "../support/mock-openai-upstream.js";
import {
  mockUpstreamConfig,
  startTestGateway,
  type TestGateway,
  testMasterKey,
} from "../support/start-test-gateway.js";

// A request whose headers the server has read before `close()` keeps its connection open through the shutdown
// (Node closes only connections with no request in progress). Sending the headers with `Expect: 100-continue`
// and waiting for Node's `100 Continue` makes that ordering certain; the body goes out once the gateway closes.

interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

const continueLine = "HTTP/1.1 100 Continue\r\n\r\n";

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Sends a request's headers and resolves once the server answered `100 Continue`; `answer` is the rest. */
function sendHeaders(
  socket: Socket,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ answer: Promise<RawResponse> }> {
  const lines = [
    `POST ${path} HTTP/1.1`,
    "host: 127.0.0.1",
    "connection: keep-alive",
    "expect: 100-continue",
  ];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  lines.push("content-type: application/json", `content-length: ${Buffer.byteLength(body)}`);
  return new Promise((resolve, reject) => {
    let received = "";
    const onData = (chunk: Buffer) => {
      received += chunk.toString("utf8");
      if (!received.startsWith(continueLine)) return;
      socket.off("data", onData);
      resolve({ answer: readResponse(socket, received.slice(continueLine.length)) });
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  });
}

/** Everything the server sends until it closes the connection, parsed as one HTTP/1.1 response. */
function readResponse(socket: Socket, already: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let text = already;
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
    });
    socket.once("error", reject);
    socket.once("end", () => {
      const headerEnd = text.indexOf("\r\n\r\n");
      const [statusLine = "", ...headerLines] = text.slice(0, headerEnd).split("\r\n");
      const headers = new Headers();
      for (const line of headerLines) {
        const colon = line.indexOf(":");
        headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      resolve({
        status: Number(statusLine.split(" ")[1]),
        headers,
        body: JSON.parse(text.slice(headerEnd + 4)) as unknown,
      });
    });
  });
}

function refusesNewConnections(port: number): Promise<boolean> {
  return openSocket(port).then(
    (socket) => {
      socket.destroy();
      return false;
    },
    () => true,
  );
}

describe("shutdown", () => {
  let upstream: MockOpenAiUpstream;
  let gateway: TestGateway;
  let closing: Promise<void> | undefined;
  beforeAll(async () => {
    upstream = await startMockOpenAiUpstream();
    gateway = await startTestGateway(mockUpstreamConfig(upstream.url));
  });
  afterAll(async () => {
    await (closing ?? gateway.close());
    await upstream.close();
  });

  it("answers model requests that arrive while closing with GW_ERR_SHUTTING_DOWN in the caller's dialect", async () => {
    const port = gateway.running.port;
    const chatBody = JSON.stringify({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Still there?" }],
    });
    const messagesBody = JSON.stringify({
      model: "gpt-4o",
      max_tokens: 16,
      messages: [{ role: "user", content: "Still there?" }],
    });
    const chatSocket = await openSocket(port);
    const messagesSocket = await openSocket(port);
    const chatSent = await sendHeaders(
      chatSocket,
      "/v1/chat/completions",
      { authorization: `Bearer ${testMasterKey}` },
      chatBody,
    );
    const messagesSent = await sendHeaders(
      messagesSocket,
      "/v1/messages",
      { "x-api-key": testMasterKey, "anthropic-version": "2023-06-01" },
      messagesBody,
    );
    closing = gateway.close();
    // Closing takes the port away only after Fastify's pre-close hooks ran: from then on the gateway refuses.
    await vi.waitFor(async () => expect(await refusesNewConnections(port)).toBe(true), { timeout: 10_000 });
    chatSocket.write(chatBody);
    messagesSocket.write(messagesBody);
    const chat = await chatSent.answer;
    const messages = await messagesSent.answer;
    await closing;

    expect(chat.status).toBe(503);
    expect(chat.headers.get("connection")).toBe("close");
    expect(chat.body).toEqual({
      error: {
        message: "Switchyard is shutting down and takes no new requests; retry on a new connection.",
        type: "overloaded_error",
        param: null,
        code: "GW_ERR_SHUTTING_DOWN",
      },
    });
    const openAiError = OpenAI.APIError.generate(503, chat.body as object, undefined, chat.headers);
    expect(openAiError).toBeInstanceOf(OpenAI.InternalServerError);
    expect(openAiError).toMatchObject({ status: 503, code: "GW_ERR_SHUTTING_DOWN" });

    expect(messages.status).toBe(503);
    expect(messages.body).toMatchObject({
      type: "error",
      error: { type: "overloaded_error", message: expect.stringContaining("shutting down") },
    });
    const anthropicError = Anthropic.APIError.generate(
      503,
      messages.body as object,
      undefined,
      messages.headers,
    );
    expect(anthropicError).toBeInstanceOf(Anthropic.InternalServerError);
    // Refused before the pipeline: nothing reached the upstream.
    expect(upstream.requests).toHaveLength(0);
  });
});
