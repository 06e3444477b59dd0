import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type MockOpenAiUpstream,
  openAiFixture,
  startMockOpenAiUpstream,
} from "../support/mock-openai-upstream.js";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let gateway: TestGateway;
let upstream: MockOpenAiUpstream;

beforeAll(async () => {
  upstream = await startMockOpenAiUpstream();
  gateway = await startTestGateway(`
providers:
  - name: sim
    type: simulator
    timeouts: { headersMs: 400, idleMs: 400 }
    simulator: { latencyMs: 0, tokensPerSecond: 0 }
  - name: mock
    type: openai-compatible
    baseUrl: ${upstream.url}
    timeouts: { headersMs: 400, idleMs: 400 }
models:
  - name: mocked
    targets:
      - provider: mock
  - name: "*"
    targets:
      - provider: sim
resilience:
  circuitBreaker: { enabled: false }
`);
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "hello" }];

async function drain(stream: AsyncIterable<unknown>): Promise<unknown> {
  return (async () => {
    for await (const _chunk of stream) {
      // drain
    }
  })().then(
    () => "clean end",
    (error: unknown) => error,
  );
}

describe("upstream stalls", () => {
  it("answers 504 when a stream stalls before its first content (nothing had reached the client)", async () => {
    const failure = await gateway
      .client()
      .chat.completions.create(
        { model: "m", messages, stream: true },
        { headers: { "x-simulator-fault": "stall" } },
      )
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(failure).toMatchObject({ status: 504, code: "GW_ERR_UPSTREAM_TIMEOUT" });
  });

  it("ends a stream that stalls after content began with an error event once idleMs passes", async () => {
    const [role, hello] = openAiFixture("chat-completion.chunks.txt").split("\n\n");
    upstream.enqueue((_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
      response.write(`${role}\n\n${hello}\n\n`);
    });
    const stream = await gateway
      .client()
      .chat.completions.create({ model: "mocked", messages, stream: true });
    const outcome = await drain(stream);
    expect(outcome).toBeInstanceOf(OpenAI.APIError);
    expect(outcome).toMatchObject({ code: "GW_ERR_STREAM_INTERRUPTED" });
    expect((outcome as Error).message).toContain("timed out");
  });

  it("answers 504 GW_ERR_UPSTREAM_TIMEOUT when a non-streaming upstream stalls", async () => {
    const failure = await gateway
      .client()
      .chat.completions.create({ model: "m", messages }, { headers: { "x-simulator-fault": "stall" } })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 504, code: "GW_ERR_UPSTREAM_TIMEOUT" });
  });
});
