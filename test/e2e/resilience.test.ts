import { request as httpRequest } from "node:http";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  answers,
  type MockOpenAiUpstream,
  openAiFixture,
  startMockOpenAiUpstream,
} from "../support/mock-openai-upstream.js";
import { startTestGateway, type TestGateway, testMasterKey } from "../support/start-test-gateway.js";

let upstream: MockOpenAiUpstream;
let gateway: TestGateway;
let client: OpenAI;

const providerNames = ["a", "b", "c", "d", "e", "f", "g", "h"];

beforeAll(async () => {
  upstream = await startMockOpenAiUpstream();
  const providers = providerNames
    .map((name) => `  - { name: ${name}, type: openai-compatible, baseUrl: "${upstream.url}" }`)
    .join("\n");
  gateway = await startTestGateway(`
providers:
${providers}
models:
  - { name: retrying, targets: [{ provider: a, model: m }] }
  - { name: pair, targets: [{ provider: b, model: m }, { provider: c, model: m }] }
  - { name: big-context, targets: [{ provider: d, model: small }, { provider: d, model: large }] }
  - { name: breaker, targets: [{ provider: e, model: m }, { provider: f, model: m }] }
  - { name: lonely, targets: [{ provider: g, model: m }] }
  - { name: deadline, targets: [{ provider: h, model: m }] }
keys:
  refreshIntervalMs: 20
requestLog:
  flushIntervalMs: 60000
resilience:
  retries: { maxRetriesPerTarget: 1, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 2000 }
  streamHoldBackMs: 30000
  timeouts: { firstTokenMs: 30000 }
  circuitBreaker: { consecutiveFailures: 2, cooldownMs: 600000 }
  groups:
    big-context: { fallbackOn: [context-window], maxRetriesPerTarget: 0 }
    pair: { maxRetriesPerTarget: 0, firstTokenMs: 1000 }
    breaker: { maxRetriesPerTarget: 0 }
    lonely: { maxRetriesPerTarget: 0 }
    deadline: { maxRetriesPerTarget: 0, totalMs: 400, firstTokenMs: 60000 }
`);
  client = gateway.client();
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.requests.length = 0;
});

const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "hello" }];
const rateLimited = (headers: Record<string, string>) =>
  answers.json(429, openAiFixture("error-429.json"), headers);
const serverError = () => answers.json(500, openAiFixture("error-500.json"));

async function metricsText(): Promise<string> {
  return (await fetch(`${gateway.url}/metrics`)).text();
}

async function logRow(requestId: string | null) {
  await gateway.running.flushRequestLog();
  const rows = await gateway.running.storage.requestLogs.query({ limit: 50 });
  return rows.find((row) => row.id === requestId);
}

describe("retries", () => {
  it("retries the same target after the delay the upstream asked for, and says so", async () => {
    upstream.enqueue(rateLimited({ "retry-after-ms": "30", "retry-after": "1" }));
    const { data, response } = await client.chat.completions
      .create({ model: "retrying", messages })
      .withResponse();
    expect(data.object).toBe("chat.completion");
    expect(upstream.requests).toHaveLength(2);
    expect(response.headers.get("x-switchyard-attempts")).toBe("2");
    expect(response.headers.get("x-switchyard-retries")).toBe("1");
    expect(response.headers.get("x-switchyard-fallback")).toBeNull();
    const row = await logRow(response.headers.get("x-request-id"));
    expect(row).toMatchObject({ status: 200, attempts: 2 });
    expect(row?.attemptPath).toMatch(/^first a\/m 429 rate-limited \d+ms > retry a\/m 200 \d+ms$/);
    expect(await metricsText()).toMatch(
      /switchyard_upstream_retries_total\{model_group="retrying",target="a\/m",reason="rate-limited"\} 1/,
    );
  });

  it("does not retry when the upstream asks for a longer wait than maxRetryAfterMs", async () => {
    upstream.enqueue(rateLimited({ "retry-after": "60" }));
    const failure = await client.chat.completions
      .create({ model: "retrying", messages })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.RateLimitError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).headers?.get("retry-after")).toBe("60");
    expect(upstream.requests).toHaveLength(1);
  });

  it("does not retry a client error such as a context-window overflow", async () => {
    upstream.enqueue(
      answers.json(
        400,
        JSON.stringify({
          error: {
            message: "too long",
            type: "invalid_request_error",
            param: "messages",
            code: "context_length_exceeded",
          },
        }),
      ),
    );
    const failure = await client.chat.completions
      .create({ model: "retrying", messages })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 400, code: "context_length_exceeded" });
    expect(upstream.requests).toHaveLength(1);
  });
});

describe("fallback by failure class", () => {
  it("falls back to the larger-context target only for the group that asks for it", async () => {
    upstream.enqueue(
      answers.json(
        400,
        JSON.stringify({
          error: {
            message: "too long",
            type: "invalid_request_error",
            param: "messages",
            code: "context_length_exceeded",
          },
        }),
      ),
    );
    const { response } = await client.chat.completions
      .create({ model: "big-context", messages })
      .withResponse();
    expect(upstream.requests.map((request) => request.body.model)).toEqual(["small", "large"]);
    expect(response.headers.get("x-switchyard-target")).toBe("d/large");
    expect(response.headers.get("x-switchyard-fallback")).toBe("1");
  });

  it("does not fall back on a class the group leaves out (here: server errors)", async () => {
    upstream.enqueue(serverError());
    const failure = await client.chat.completions
      .create({ model: "big-context", messages })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 500 });
    expect(upstream.requests).toHaveLength(1);
  });
});

describe("streams before their first content", () => {
  it("fall back when the first events carry an error, and the client sees one clean stream", async () => {
    const [role] = openAiFixture("chat-completion.chunks.txt").split("\n\n");
    upstream.enqueue(
      answers.sse(
        `${role}\n\ndata: {"error":{"message":"overloaded","type":"server_error","code":null}}\n\n`,
      ),
    );
    const { data: stream, response } = await client.chat.completions
      .create({ model: "pair", messages, stream: true })
      .withResponse();
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("Hello! How can I help?");
    expect(response.headers.get("x-switchyard-target")).toBe("c/m");
    expect(response.headers.get("x-switchyard-fallback")).toBe("1");
  });

  it("fall back when no first token comes within firstTokenMs", async () => {
    const [role] = openAiFixture("chat-completion.chunks.txt").split("\n\n");
    let stalledClosed = false;
    upstream.enqueue((_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
      response.write(`${role}\n\n`);
      response.on("close", () => {
        stalledClosed = true;
      });
    });
    const { data: stream, response } = await client.chat.completions
      .create({ model: "pair", messages, stream: true })
      .withResponse();
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("Hello! How can I help?");
    expect(response.headers.get("x-switchyard-target")).toBe("c/m");
    await vi.waitFor(() => expect(stalledClosed).toBe(true), { timeout: 5_000 });
    const row = await logRow(response.headers.get("x-request-id"));
    expect(row?.attemptPath).toMatch(/^first b\/m - timeout \d+ms > fallback c\/m 200 \d+ms$/);
  });

  it("signal a cut after content began as an error event, and record the request as failed", async () => {
    upstream.enqueue(answers.sseCut(openAiFixture("chat-completion.chunks.txt"), 3));
    const { data: stream, response } = await client.chat.completions
      .create({ model: "pair", messages, stream: true })
      .withResponse();
    let text = "";
    const outcome = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    })().then(
      () => "clean end",
      (error: unknown) => error,
    );
    expect(text.length).toBeGreaterThan(0);
    expect(outcome).toMatchObject({ code: "GW_ERR_STREAM_INTERRUPTED" });
    expect(upstream.requests).toHaveLength(1);
    expect(await logRow(response.headers.get("x-request-id"))).toMatchObject({
      status: 502,
      errorCode: "GW_ERR_STREAM_INTERRUPTED",
    });
  });
});

describe("circuit breakers", () => {
  it("open after consecutive failures, skip the target, and fail fast with 503 when nothing is left", async () => {
    upstream.enqueue(serverError());
    await client.chat.completions.create({ model: "breaker", messages });
    upstream.enqueue(answers.reset());
    await client.chat.completions.create({ model: "breaker", messages });
    expect(upstream.requests.map((request) => request.headers.host)).toHaveLength(4);
    upstream.requests.length = 0;

    const { response } = await client.chat.completions.create({ model: "breaker", messages }).withResponse();
    expect(upstream.requests).toHaveLength(1);
    expect(response.headers.get("x-switchyard-target")).toBe("f/m");
    expect(response.headers.get("x-switchyard-attempts")).toBe("1");
    const row = await logRow(response.headers.get("x-request-id"));
    expect(row?.attemptPath).toMatch(
      /^first e\/m - open-circuit breaker=open 0ms > fallback f\/m 200 \d+ms$/,
    );
    const metrics = await metricsText();
    expect(metrics).toContain('switchyard_circuit_breaker_state{target="e/m"} 2');
    expect(metrics).toContain('switchyard_circuit_breaker_state{target="f/m"} 0');
    expect(metrics).toMatch(/switchyard_circuit_breaker_skips_total\{target="e\/m"\} 1/);
    expect(metrics).toMatch(
      /switchyard_fallbacks_total\{model_group="breaker",from_target="e\/m",reason="open-circuit"\} 1/,
    );

    upstream.enqueue(serverError(), serverError());
    await client.chat.completions.create({ model: "lonely", messages }).catch(() => undefined);
    await client.chat.completions.create({ model: "lonely", messages }).catch(() => undefined);
    upstream.requests.length = 0;
    const failure = await client.chat.completions
      .create({ model: "lonely", messages })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 503, code: "GW_ERR_UPSTREAM_CIRCUIT_OPEN" });
    expect(
      Number((failure as InstanceType<typeof OpenAI.APIError>).headers?.get("retry-after")),
    ).toBeGreaterThan(0);
    expect(upstream.requests).toHaveLength(0);
  });
});

describe("deadlines and disconnects", () => {
  it("answers 504 GW_ERR_REQUEST_DEADLINE_EXCEEDED when totalMs passes, and releases the upstream", async () => {
    let upstreamClosed = false;
    upstream.enqueue((_request, response) => {
      response.on("close", () => {
        upstreamClosed = true;
      });
    });
    const failure = await client.chat.completions
      .create({ model: "deadline", messages })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 504, code: "GW_ERR_REQUEST_DEADLINE_EXCEEDED" });
    await vi.waitFor(() => expect(upstreamClosed).toBe(true), { timeout: 5_000 });
  });

  it("aborts the upstream when the client leaves while the stream's opening is held back", async () => {
    const [role] = openAiFixture("chat-completion.chunks.txt").split("\n\n");
    let upstreamClosed = false;
    upstream.enqueue((_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
      response.write(`${role}\n\n`);
      response.on("close", () => {
        upstreamClosed = true;
      });
    });
    // A connection of its own (no keep-alive pool), closed the way a client that goes away closes it.
    const clientRequest = httpRequest(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      agent: false,
      headers: { authorization: `Bearer ${testMasterKey}`, "content-type": "application/json" },
    });
    const gone = new Promise((resolve) => clientRequest.on("error", resolve));
    clientRequest.end(JSON.stringify({ model: "retrying", messages, stream: true }));
    await vi.waitFor(() => expect(upstream.requests).toHaveLength(1), { timeout: 5_000 });
    clientRequest.destroy();
    await gone;
    await vi.waitFor(() => expect(upstreamClosed).toBe(true), { timeout: 5_000 });
    expect(upstream.requests).toHaveLength(1);
  });
});

describe("the retry budget", () => {
  let stingy: TestGateway;
  beforeAll(async () => {
    stingy = await startTestGateway(`
providers:
  - { name: s, type: openai-compatible, baseUrl: "${upstream.url}" }
models:
  - { name: stingy, targets: [{ provider: s, model: m }] }
resilience:
  retries: { maxRetriesPerTarget: 3, baseDelayMs: 1, maxDelayMs: 2 }
  retryBudget: { ratio: 0, minRetriesPerSecond: 0 }
`);
  });
  afterAll(() => stingy.close());

  it("refuses retries once spent, and counts the refusal", async () => {
    upstream.enqueue(serverError());
    const failure = await stingy
      .client()
      .chat.completions.create({ model: "stingy", messages })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 500 });
    expect(upstream.requests).toHaveLength(1);
    const metrics = await (await fetch(`${stingy.url}/metrics`)).text();
    expect(metrics).toContain('switchyard_retry_budget_exhausted_total{model_group="stingy"} 1');
  });
});
