import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway(`
providers:
  - name: sim
    type: simulator
    timeouts: { headersMs: 400, idleMs: 400 }
    simulator: { latencyMs: 0, tokensPerSecond: 0 }
models:
  - name: "*"
    targets:
      - provider: sim
`);
});
afterAll(() => gateway.close());

const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "hello" }];

describe("upstream stalls", () => {
  it("ends a stream that stalls after it began with an error event once idleMs passes", async () => {
    const stream = await gateway
      .client()
      .chat.completions.create(
        { model: "m", messages, stream: true },
        { headers: { "x-simulator-fault": "stall" } },
      );
    const outcome = await (async () => {
      for await (const _chunk of stream) {
        // drain
      }
    })().then(
      () => "clean end",
      (error: unknown) => error,
    );
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
