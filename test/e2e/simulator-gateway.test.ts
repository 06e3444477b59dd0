import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  gateway = await startTestGateway(`
providers:
  - name: sim
    type: simulator
    simulator: { latencyMs: 0, tokensPerSecond: 0, models: [sim-small, sim-large] }
models:
  - name: "*"
    targets:
      - provider: sim
`);
  client = gateway.client();
});
afterAll(() => gateway.close());

const question: OpenAI.ChatCompletionMessageParam[] = [
  { role: "user", content: "Tell me about switchyards." },
];

describe("the built-in simulator behind the gateway", () => {
  it("answers deterministically with realistic usage", async () => {
    const first = await client.chat.completions.create({ model: "sim-small", messages: question });
    const second = await client.chat.completions.create({ model: "sim-small", messages: question });
    expect(first.choices[0]?.message.content).toBe(second.choices[0]?.message.content);
    expect(first.choices[0]?.message.content?.length).toBeGreaterThan(10);
    expect(first.model).toBe("sim-small");
    expect(first.usage?.prompt_tokens).toBeGreaterThan(5);
    expect(first.usage?.total_tokens).toBe(
      (first.usage?.prompt_tokens ?? 0) + (first.usage?.completion_tokens ?? 0),
    );
  });

  it("streams the same content it answers without streaming, and the log gets its usage", async () => {
    const whole = await client.chat.completions.create({ model: "sim-large", messages: question });
    const stream = await client.chat.completions.create({
      model: "sim-large",
      messages: question,
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe(whole.choices[0]?.message.content);
    await gateway.running.flushRequestLog();
    const [row] = await gateway.running.storage.requestLogs.query({ model: "sim-large", limit: 1 });
    expect(row).toMatchObject({ stream: true, status: 200, target: "sim/sim-large", errorCode: null });
    expect(row?.outputTokens).toBe(whole.usage?.completion_tokens);
    expect(row?.ttftMs).not.toBeNull();
  });

  it("returns a schema-valid tool call when tools are offered", async () => {
    const completion = await client.chat.completions.create({
      model: "sim-small",
      messages: [{ role: "user", content: "Weather in Oslo?" }],
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            parameters: {
              type: "object",
              properties: { city: { type: "string" }, unit: { type: "string", enum: ["c", "f"] } },
              required: ["city", "unit"],
            },
          },
        },
      ],
    });
    const call = completion.choices[0]?.message.tool_calls?.[0];
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
    expect(call?.type).toBe("function");
    const args = JSON.parse(call?.type === "function" ? call.function.arguments : "{}") as Record<
      string,
      unknown
    >;
    expect(typeof args.city).toBe("string");
    expect(["c", "f"]).toContain(args.unit);
  });

  it("serves embeddings and lists the simulator's models through the catch-all", async () => {
    const embedding = await client.embeddings.create({
      model: "sim-embed",
      input: ["a", "b"],
      dimensions: 16,
    });
    expect(embedding.data).toHaveLength(2);
    expect(embedding.data[0]?.embedding).toHaveLength(16);
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual(["sim-small", "sim-large"]);
  });

  it("passes per-request faults through: 429 reaches the client with retry-after", async () => {
    const failure = await client.chat.completions
      .create({ model: "sim-small", messages: question }, { headers: { "x-simulator-fault": "429" } })
      .catch((error) => error);
    expect(failure).toBeInstanceOf(OpenAI.RateLimitError);
    expect(failure.headers.get("retry-after")).not.toBeNull();
  });

  it.each(["cut-mid-stream", "malformed-sse"])(
    "turns a %s fault into a signalled stream error",
    async (fault) => {
      const stream = await client.chat.completions.create(
        { model: "sim-small", messages: question, stream: true },
        { headers: { "x-simulator-fault": fault } },
      );
      const outcome = await (async () => {
        for await (const _chunk of stream) {
          // drain
        }
      })().then(
        () => "clean end",
        (error: unknown) => error,
      );
      expect(outcome).toMatchObject({ code: "GW_ERR_STREAM_INTERRUPTED" });
      await gateway.running.flushRequestLog();
      const [row] = await gateway.running.storage.requestLogs.query({ limit: 1 });
      expect(row).toMatchObject({ status: 502, errorCode: "GW_ERR_STREAM_INTERRUPTED", stream: true });
    },
  );

  it("answers a reset before the first byte with 502 GW_ERR_UPSTREAM_UNREACHABLE", async () => {
    const failure = await client.chat.completions
      .create({ model: "sim-small", messages: question }, { headers: { "x-simulator-fault": "reset" } })
      .catch((error) => error);
    expect(failure).toMatchObject({ status: 502, code: "GW_ERR_UPSTREAM_UNREACHABLE" });
  });
});
