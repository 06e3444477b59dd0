import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cancellation } from "../../core/cancellation.js";
import type { ProviderConfig } from "../../core/gateway-config.js";
import { createOpenAiModerationAdapter, parseRetryAfter } from "./openai-moderation-adapter.js";

const fixture = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");

type Answer = (response: ServerResponse) => void;

interface Received {
  readonly url: string | undefined;
  readonly headers: IncomingMessage["headers"];
  readonly body: unknown;
}

/** A loopback server answering each request with the next queued answer, in OpenAI's wire format. */
function startMock() {
  const queue: Answer[] = [];
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ url: request.url, headers: request.headers, body: JSON.parse(body) });
      const answer = queue.shift();
      if (answer === undefined) response.destroy();
      else answer(response);
    });
  });
  return { server, queue, received };
}

const json =
  (status: number, body: string, headers: Record<string, string> = {}): Answer =>
  (response) => {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(body);
  };

describe("OpenAI moderation adapter", () => {
  const mock = startMock();
  let config: ProviderConfig;

  beforeAll(async () => {
    await new Promise<void>((resolve) => mock.server.listen(0, "127.0.0.1", resolve));
    const { port } = mock.server.address() as AddressInfo;
    config = {
      name: "moderation",
      type: "openai",
      baseUrl: `http://127.0.0.1:${port}/v1/`,
      apiKey: "sk-test-moderation",
      headers: { "OpenAI-Organization": "org-abc" },
      timeouts: { connectMs: 2_000, headersMs: 5_000, idleMs: 5_000 },
      simulator: undefined,
    };
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => mock.server.close(() => resolve()));
  });

  const texts = (JSON.parse(fixture("moderation-request.json")) as { input: string[] }).input;

  it("posts the texts to /moderations and returns one detection list per text", async () => {
    mock.queue.push(json(200, fixture("moderation-response.json")));
    const adapter = createOpenAiModerationAdapter(config);
    const detections = await adapter.moderate(texts, new Cancellation());
    await adapter.close();
    expect(detections.map((list) => list.map((detection) => detection.type))).toEqual([
      ["HARASSMENT", "HARASSMENT_THREATENING", "VIOLENCE"],
      [],
    ]);
    const last = mock.received.at(-1);
    expect(last?.url).toBe("/v1/moderations");
    expect(last?.body).toEqual(JSON.parse(fixture("moderation-request.json")));
    expect(last?.headers.authorization).toBe("Bearer sk-test-moderation");
    expect(last?.headers["openai-organization"]).toBe("org-abc");
  });

  it("rejects a 429 as an upstream error with the upstream's status, message and Retry-After", async () => {
    mock.queue.push(json(429, fixture("moderation-error-429.json"), { "retry-after": "2" }));
    const adapter = createOpenAiModerationAdapter(config);
    const failure = adapter.moderate(["hello"], new Cancellation());
    await expect(failure).rejects.toMatchObject({
      code: "GW_ERR_UPSTREAM_ERROR",
      status: 429,
      retryAfterSeconds: 2,
      message: expect.stringContaining("Rate limit reached for omni-moderation-latest"),
    });
    await adapter.close();
  });

  it("rejects a 400 error body with its message and no Retry-After", async () => {
    mock.queue.push(json(400, fixture("moderation-error-400.json")));
    const adapter = createOpenAiModerationAdapter(config);
    const failure = adapter.moderate(["hello"], new Cancellation());
    await expect(failure).rejects.toMatchObject({
      code: "GW_ERR_UPSTREAM_ERROR",
      status: 400,
      retryAfterSeconds: undefined,
      message: expect.stringContaining("Invalid value for 'input'"),
    });
    await adapter.close();
  });

  it("rejects a 200 whose body is not JSON, or not a moderation response, as invalid", async () => {
    mock.queue.push(json(200, "<html>gateway</html>"), json(200, fixture("moderation-error-400.json")));
    const adapter = createOpenAiModerationAdapter(config);
    await expect(adapter.moderate(["a"], new Cancellation())).rejects.toMatchObject({
      code: "GW_ERR_UPSTREAM_INVALID_RESPONSE",
    });
    await expect(adapter.moderate(["a"], new Cancellation())).rejects.toMatchObject({
      code: "GW_ERR_UPSTREAM_INVALID_RESPONSE",
    });
    await adapter.close();
  });

  it("rejects a reset connection as unreachable", async () => {
    mock.queue.push((response) => response.socket?.destroy());
    const adapter = createOpenAiModerationAdapter(config);
    await expect(adapter.moderate(["a"], new Cancellation())).rejects.toMatchObject({
      code: "GW_ERR_UPSTREAM_UNREACHABLE",
    });
    await adapter.close();
  });

  it("stops waiting when the caller cancels", async () => {
    const cancellation = new Cancellation();
    mock.queue.push(() => cancellation.cancel());
    const adapter = createOpenAiModerationAdapter(config);
    await expect(adapter.moderate(["a"], cancellation)).rejects.toMatchObject({ name: "AbortError" });
    await adapter.close();
  });

  it("sends nothing for no texts", async () => {
    const before = mock.received.length;
    const adapter = createOpenAiModerationAdapter(config);
    expect(await adapter.moderate([], new Cancellation())).toEqual([]);
    expect(mock.received.length).toBe(before);
    await adapter.close();
  });
});

describe("parseRetryAfter", () => {
  it("reads delay-seconds and HTTP dates", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3);
    expect(parseRetryAfter("0.2", now)).toBe(1);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", now)).toBe(10);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });
});
