import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockOpenAiUpstream, startMockOpenAiUpstream } from "../support/mock-openai-upstream.js";
import {
  mockUpstreamConfig,
  startTestGateway,
  type TestGateway,
  testMasterKey,
} from "../support/start-test-gateway.js";

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

interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

async function call(path: string, init: RequestInit & { json?: unknown } = {}) {
  const headers = new Headers(init.headers);
  if (!headers.has("authorization")) headers.set("authorization", `Bearer ${testMasterKey}`);
  if (init.json !== undefined && !headers.has("content-type"))
    headers.set("content-type", "application/json");
  const response = await fetch(`${gateway.url}${path}`, {
    method: init.method ?? "POST",
    headers,
    body: init.json === undefined ? (init.body ?? null) : JSON.stringify(init.json),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as ErrorBody };
}

const chat = "/v1/chat/completions";

describe("bad input gets an OpenAI error object with a catalog code, and reaches no upstream", () => {
  it.each([
    [
      "invalid JSON",
      { body: "{not json", headers: { "content-type": "application/json" } },
      400,
      "GW_ERR_REQUEST_INVALID_JSON",
      null,
    ],
    [
      "an empty body",
      { body: "", headers: { "content-type": "application/json" } },
      400,
      "GW_ERR_REQUEST_INVALID_JSON",
      null,
    ],
    ["a JSON array", { json: [1, 2] }, 400, "GW_ERR_REQUEST_INVALID_BODY", null],
    [
      "a missing model",
      { json: { messages: [{ role: "user", content: "hi" }] } },
      400,
      "GW_ERR_REQUEST_INVALID_BODY",
      "model",
    ],
    ["missing messages", { json: { model: "gpt-4o" } }, 400, "GW_ERR_REQUEST_INVALID_BODY", "messages"],
    [
      "messages of the wrong type",
      { json: { model: "gpt-4o", messages: "hi" } },
      400,
      "GW_ERR_REQUEST_INVALID_BODY",
      "messages",
    ],
    [
      "a message without a role",
      { json: { model: "gpt-4o", messages: [{ content: "hi" }] } },
      400,
      "GW_ERR_REQUEST_INVALID_BODY",
      "messages.0.role",
    ],
    [
      "stream of the wrong type",
      { json: { model: "gpt-4o", messages: [{ role: "user", content: "x" }], stream: "yes" } },
      400,
      "GW_ERR_REQUEST_INVALID_BODY",
      "stream",
    ],
    [
      "an unknown model",
      { json: { model: "gpt-9", messages: [{ role: "user", content: "hi" }] } },
      404,
      "GW_ERR_MODEL_NOT_FOUND",
      "model",
    ],
    [
      "an oversized body",
      { json: { model: "gpt-4o", messages: [{ role: "user", content: "x".repeat(4096) }] } },
      413,
      "GW_ERR_REQUEST_BODY_TOO_LARGE",
      null,
    ],
    [
      "a form body",
      { body: "model=gpt-4o", headers: { "content-type": "application/x-www-form-urlencoded" } },
      415,
      "GW_ERR_REQUEST_UNSUPPORTED_MEDIA_TYPE",
      null,
    ],
  ] as const)("%s", async (_label, init, status, code, param) => {
    const before = upstream.requests.length;
    const response = await call(chat, init);
    expect(response.status).toBe(status);
    expect(response.body.error).toMatchObject({ code, param });
    expect(response.body.error.message.length).toBeGreaterThan(10);
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(upstream.requests.length).toBe(before);
  });

  it("answers an unknown route with 404 GW_ERR_ROUTE_NOT_FOUND", async () => {
    const response = await call("/v1/chat/completion", { json: {} });
    expect(response.status).toBe(404);
    expect(response.body.error).toMatchObject({ code: "GW_ERR_ROUTE_NOT_FOUND", type: "not_found_error" });
    const wrongMethod = await call(chat, { method: "GET" });
    expect(wrongMethod.status).toBe(404);
  });

  it("rejects missing and unknown keys with 401 before validating anything else", async () => {
    const missing = await fetch(`${gateway.url}${chat}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as ErrorBody).error.code).toBe("GW_ERR_AUTH_MISSING_KEY");
    const unknown = await call(chat, { json: {}, headers: { authorization: "Bearer sy-nope" } });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toMatchObject({
      code: "GW_ERR_AUTH_INVALID_KEY",
      type: "authentication_error",
    });
  });

  it("stays up for well-formed requests after a burst of garbage", async () => {
    const garbage = Array.from({ length: 50 }, (_unused, index) =>
      call(chat, { body: `${"\u0000".repeat(index)}{[`, headers: { "content-type": "application/json" } }),
    );
    const statuses = (await Promise.all(garbage)).map((response) => response.status);
    expect(new Set(statuses)).toEqual(new Set([400]));
    const health = await fetch(`${gateway.url}/healthz`);
    expect(await health.json()).toEqual({ status: "ok" });
  });
});

describe("health, readiness and metrics", () => {
  it("reports liveness and storage readiness", async () => {
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(await ready.json()).toEqual({ status: "ready" });
  });

  it("exposes Prometheus metrics that count requests by status", async () => {
    await call(chat, { json: { model: "gpt-9", messages: [{ role: "user", content: "hi" }] } });
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toMatch(
      /switchyard_requests_total\{operation="chat.completions",model_group="",provider="",target="",status="404"\} [1-9]/,
    );
    expect(text).toContain("switchyard_gateway_overhead_seconds_bucket");
  });
});
