import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  answers,
  type MockOpenAiUpstream,
  openAiFixture,
  startMockOpenAiUpstream,
} from "../support/mock-openai-upstream.js";
import {
  mockUpstreamConfig,
  startTestGateway,
  type TestGateway,
  testMasterKey,
} from "../support/start-test-gateway.js";

let upstream: MockOpenAiUpstream;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startMockOpenAiUpstream();
  gateway = await startTestGateway(mockUpstreamConfig(upstream.url));
  client = gateway.client();
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.requests.length = 0;
});

const messages: OpenAI.ChatCompletionMessageParam[] = [
  { role: "system", content: "You describe pictures." },
  { role: "user", content: "What is in this image?" },
];

describe("chat completions, same-dialect passthrough", () => {
  it("forwards the body with only model, auth and target params rewritten, and returns the upstream bytes", async () => {
    const { data, response } = await client.chat.completions
      .create({ model: "gpt-4o", messages, max_tokens: 300, user: "end-user-7" })
      .withResponse();
    expect(data).toEqual(JSON.parse(openAiFixture("chat-completion.json")));

    const [seen] = upstream.requests;
    expect(seen?.url).toBe("/v1/chat/completions");
    expect(seen?.body).toEqual({
      model: "gpt-4o-2024-08-06",
      messages,
      max_tokens: 300,
      user: "end-user-7",
      temperature: 0.1,
    });
    expect(seen?.headers.authorization).toBe("Bearer upstream-secret");
    expect(seen?.headers["openai-organization"]).toBe("org-test");

    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get("x-switchyard-target")).toBe("mock/gpt-4o-2024-08-06");
    expect(response.headers.get("x-switchyard-attempts")).toBe("1");
    expect(Number(response.headers.get("x-switchyard-overhead-ms"))).toBeGreaterThanOrEqual(0);
  });

  it("streams event by event, always asks upstream for usage and drops the usage chunk nobody asked for", async () => {
    const stream = await client.chat.completions.create({ model: "gpt-4o", messages, stream: true });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe(
      "Hello! How can I help?",
    );
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
    expect(chunks.every((chunk) => chunk.choices.length === 1)).toBe(true);
    expect(upstream.requests[0]?.body.stream_options).toEqual({ include_usage: true });
  });

  it("keeps the usage chunk when the client asked for it", async () => {
    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 6, total_tokens: 15 });
  });

  it("signals a stream cut mid-way as an error, never as a clean end", async () => {
    upstream.enqueue(answers.sseCut(openAiFixture("chat-completion.chunks.txt"), 2));
    const stream = await client.chat.completions.create({ model: "gpt-4o", messages, stream: true });
    const received: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? "");
    })().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(received.join("")).toBe("Hello");
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(failure).toMatchObject({ code: "GW_ERR_STREAM_INTERRUPTED" });
  });

  it("signals a malformed upstream event as an error", async () => {
    const raw = openAiFixture("chat-completion.chunks.txt").replace('{"content":"!"}', '{"content":"!"');
    upstream.enqueue(answers.sse(raw));
    const stream = await client.chat.completions.create({ model: "gpt-4o", messages, stream: true });
    await expect(
      (async () => {
        for await (const _chunk of stream) {
          // drain
        }
      })(),
    ).rejects.toMatchObject({ code: "GW_ERR_STREAM_INTERRUPTED" });
  });
});

describe("client disconnects", () => {
  it("cancels the upstream call when the client goes away mid-stream, and logs the request as 499", async () => {
    let upstreamClosed = false;
    upstream.enqueue((_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
      response.write(`${openAiFixture("chat-completion.chunks.txt").split("\n\n")[0]}\n\n`);
      response.on("close", () => {
        upstreamClosed = true;
      });
    });
    const abort = new AbortController();
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${testMasterKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", messages, stream: true }),
      signal: abort.signal,
    });
    const requestId = response.headers.get("x-request-id");
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain("chat.completion.chunk");
    abort.abort();
    await vi.waitFor(() => expect(upstreamClosed).toBe(true), { timeout: 5_000, interval: 10 });
    await vi.waitFor(
      async () => {
        await gateway.running.flushRequestLog();
        const rows = await gateway.running.storage.requestLogs.query({ limit: 5 });
        expect(rows.find((row) => row.id === requestId)).toMatchObject({
          status: 499,
          errorCode: "GW_ERR_CLIENT_DISCONNECTED",
          stream: true,
        });
      },
      { timeout: 5_000, interval: 20 },
    );
  });
});

describe("client disconnects before the upstream answered", () => {
  it("cancels the pending upstream request", async () => {
    let upstreamClosed = false;
    upstream.enqueue((_request, response) => {
      response.on("close", () => {
        upstreamClosed = true;
      });
    });
    const abort = new AbortController();
    const pending = fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${testMasterKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", messages }),
      signal: abort.signal,
    }).catch((error: unknown) => error);
    await vi.waitFor(() => expect(upstream.requests).toHaveLength(1), { timeout: 5_000, interval: 10 });
    abort.abort();
    expect(await pending).toMatchObject({ name: "AbortError" });
    await vi.waitFor(() => expect(upstreamClosed).toBe(true), { timeout: 5_000, interval: 10 });
  });
});

describe("embeddings and models", () => {
  it("passes embeddings through, including the SDK's default base64 encoding request", async () => {
    const { data, response } = await client.embeddings
      .create({ model: "text-embedding-3-small", input: "hello" })
      .withResponse();
    expect(upstream.requests[0]?.body).toEqual({
      model: "text-embedding-3-small",
      input: "hello",
      encoding_format: "base64",
    });
    const expected = [0.0023064255, -0.009327292, 0.015797347, -0.0077780345];
    expect(data.data[0]?.embedding).toHaveLength(expected.length);
    expected.forEach((value, index) => {
      expect(data.data[0]?.embedding[index]).toBeCloseTo(value, 6);
    });
    expect(data.usage.prompt_tokens).toBe(8);
    expect(response.headers.get("x-switchyard-target")).toBe("mock/text-embedding-3-small");
  });

  it("lists the configured model groups", async () => {
    const page = await client.models.list();
    expect(page.data.map((model) => model.id)).toEqual(["gpt-4o", "text-embedding-3-small", "resilient"]);
    const one = await client.models.retrieve("gpt-4o");
    expect(one).toMatchObject({ id: "gpt-4o", object: "model" });
    await expect(client.models.retrieve("nope")).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe("upstream errors and fallback", () => {
  it("passes an upstream 429 through with its body, status and retry-after", async () => {
    upstream.enqueue(answers.json(429, openAiFixture("error-429.json"), { "retry-after": "1" }));
    const failure = await client.chat.completions
      .create({ model: "gpt-4o", messages })
      .catch((error) => error);
    expect(failure).toBeInstanceOf(OpenAI.RateLimitError);
    expect(failure.code).toBe("rate_limit_exceeded");
    expect(failure.message).toContain("Rate limit reached for gpt-4o");
    expect(failure.headers.get("retry-after")).toBe("1");
    expect(failure.headers.get("x-switchyard-target")).toBe("mock/gpt-4o-2024-08-06");
  });

  it("wraps an upstream error body that is not an OpenAI error object", async () => {
    upstream.enqueue(answers.json(503, "<html>upstream proxy down</html>"));
    const failure = await client.chat.completions
      .create({ model: "gpt-4o", messages })
      .catch((error) => error);
    expect(failure).toBeInstanceOf(OpenAI.InternalServerError);
    expect(failure.status).toBe(503);
    expect(failure.code).toBe("GW_ERR_UPSTREAM_ERROR");
    expect(failure.message).toContain("upstream proxy down");
  });

  it("falls back to the next target when the first fails before answering", async () => {
    upstream.enqueue(answers.json(500, openAiFixture("error-500.json")));
    const { data, response } = await client.chat.completions
      .create({ model: "resilient", messages })
      .withResponse();
    expect(data.id).toBe("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG");
    expect(upstream.requests.map((request) => request.body.model)).toEqual(["primary-model", "backup-model"]);
    expect(upstream.requests[1]?.headers.authorization).toBe("Bearer backup-secret");
    expect(response.headers.get("x-switchyard-attempts")).toBe("2");
    expect(response.headers.get("x-switchyard-target")).toBe("backup/backup-model");
  });

  it("falls back after a connection reset, and reports the last failure when all targets fail", async () => {
    upstream.enqueue(answers.reset(), answers.json(502, openAiFixture("error-500.json")));
    const failure = await client.chat.completions
      .create({ model: "resilient", messages })
      .catch((error) => error);
    expect(failure).toBeInstanceOf(OpenAI.InternalServerError);
    expect(failure.status).toBe(502);
    expect(failure.headers.get("x-switchyard-attempts")).toBe("2");
  });
});

describe("the request log", () => {
  it("records one row per request with tokens and timings, and no bodies", async () => {
    await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "secret plan" }],
    });
    await gateway.running.flushRequestLog();
    const [row] = await gateway.running.storage.requestLogs.query({ model: "gpt-4o", limit: 1 });
    expect(row).toMatchObject({
      endpoint: "chat.completions",
      modelRequested: "gpt-4o",
      target: "mock/gpt-4o-2024-08-06",
      status: 200,
      stream: false,
      inputTokens: 1117,
      outputTokens: 46,
      cachedTokens: 1024,
      errorCode: null,
      attempts: 1,
    });
    expect(row?.ttftMs).toBeGreaterThan(0);
    expect(JSON.stringify(row)).not.toContain("secret plan");
  });
});
