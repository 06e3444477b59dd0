import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockOpenAiUpstream, startMockOpenAiUpstream } from "../support/mock-openai-upstream.js";
import {
  mockUpstreamConfig,
  startTestGateway,
  type TestGateway,
  testMasterKey,
} from "../support/start-test-gateway.js";

// JSON POSTs to the model routes are read by Switchyard's own listener; other content-type spellings reach the
// same handler through Fastify. Both must read, refuse and answer alike.

let upstream: MockOpenAiUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startMockOpenAiUpstream();
  gateway = await startTestGateway(mockUpstreamConfig(upstream.url, "server:\n  bodyLimitBytes: 2048\n"));
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

const chatBody = JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });

async function post(path: string, contentType: string, body: string) {
  const response = await fetch(`${gateway.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${testMasterKey}`, "content-type": contentType },
    body,
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
}

const spellings = ["application/json", "application/json;charset=utf-8", "Application/JSON"];

describe("reading a model request", () => {
  it.each(spellings)("serves a chat request sent as %s, with or without a query string", async (type) => {
    for (const path of ["/v1/chat/completions", "/v1/chat/completions?trace=1"]) {
      const before = upstream.requests.length;
      const response = await post(path, type, chatBody);
      expect(response.status).toBe(200);
      expect(response.headers.get("x-switchyard-target")).toBe("mock/gpt-4o-2024-08-06");
      expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(upstream.requests.length).toBe(before + 1);
      expect(upstream.requests.at(-1)?.body).toMatchObject({
        model: "gpt-4o-2024-08-06",
        messages: [{ role: "user", content: "hi" }],
      });
    }
  });

  it.each(spellings)("refuses __proto__ and constructor.prototype keys sent as %s", async (type) => {
    const before = upstream.requests.length;
    for (const poisoned of [
      '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"__proto__":{"admin":true}}',
      '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"constructor":{"prototype":{"a":1}}}',
    ]) {
      const response = await post("/v1/chat/completions", type, poisoned);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: { code: "GW_ERR_REQUEST_INVALID_JSON" } });
    }
    expect(upstream.requests.length).toBe(before);
  });

  it("answers 413 with Connection: close to a chunked body over the limit, and keeps serving", async () => {
    const before = upstream.requests.length;
    const oversized = JSON.stringify({
      model: "gpt-4o",
      messages: [{ role: "user", content: "x".repeat(4096) }],
    });
    const answer = await new Promise<{ status: number; connection: string | undefined; body: string }>(
      (resolve, reject) => {
        const url = new URL(`${gateway.url}/v1/chat/completions`);
        const outgoing = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: "POST",
            headers: {
              authorization: `Bearer ${testMasterKey}`,
              "content-type": "application/json",
              "transfer-encoding": "chunked",
            },
          },
          (response) => {
            let text = "";
            response.setEncoding("utf8");
            response.on("data", (chunk: string) => {
              text += chunk;
            });
            response.on("end", () =>
              resolve({
                status: response.statusCode ?? 0,
                connection: response.headers.connection,
                body: text,
              }),
            );
          },
        );
        outgoing.on("error", reject);
        // One write: the whole chunked body reaches the server before it answers and closes.
        outgoing.end(oversized);
      },
    );
    expect(answer.status).toBe(413);
    expect(answer.connection).toBe("close");
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "GW_ERR_REQUEST_BODY_TOO_LARGE" } });
    expect(upstream.requests.length).toBe(before);
    expect((await post("/v1/chat/completions", "application/json", chatBody)).status).toBe(200);
  });

  it("answers Anthropic's error object, with request-id, for bad JSON on /v1/messages", async () => {
    for (const type of spellings) {
      const response = await post("/v1/messages", type, "{not json");
      expect(response.status).toBe(400);
      const requestId = response.headers.get("x-request-id");
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.body).toMatchObject({
        type: "error",
        error: { type: "invalid_request_error", code: "GW_ERR_REQUEST_INVALID_JSON" },
      });
      expect(response.headers.get("request-id")).toBe(requestId);
      expect(response.body).toMatchObject({ request_id: requestId });
    }
  });
});
