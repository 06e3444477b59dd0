import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { SimulatorSettings } from "../../core/gateway-config.js";
import { type SimulatorServer, startSimulatorServer } from "./simulator-server.js";
import type { JsonRecord } from "./simulator-wire.js";

const settings: SimulatorSettings = {
  latencyMs: 0,
  tokensPerSecond: 0,
  models: ["sim-small", "sim-large"],
  faults: [],
  embeddingDimensions: 64,
};

const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
  { role: "system", content: "You are terse." },
  { role: "user", content: "Tell me about rivers." },
];

const weatherParameters: JsonRecord = {
  type: "object",
  properties: {
    city: { type: "string" },
    unit: { type: "string", enum: ["celsius", "fahrenheit"] },
    days: { type: "integer", minimum: 1, maximum: 7 },
  },
  required: ["city", "unit"],
  additionalProperties: false,
};
const tools: OpenAI.Chat.ChatCompletionTool[] = [
  { type: "function", function: { name: "get_weather", parameters: weatherParameters } },
];

let server: SimulatorServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startSimulatorServer(settings, { host: "127.0.0.1", port: 0 });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "x", maxRetries: 0 });
});

afterAll(() => server.close());

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

describe("chat completions", () => {
  it("answers in OpenAI's shape, deterministically", async () => {
    const { data, response } = await client.chat.completions
      .create({ model: "any-model", messages })
      .withResponse();
    expect(response.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{32}$/);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(data.id).toMatch(/^chatcmpl-[A-Za-z0-9]{29}$/);
    expect(data.object).toBe("chat.completion");
    expect(data.model).toBe("any-model");
    expect(data.system_fingerprint).toMatch(/^fp_[0-9a-f]{10}$/);
    const choice = data.choices[0];
    expect(choice?.message).toMatchObject({ role: "assistant", refusal: null });
    expect(choice?.message.content?.length).toBeGreaterThan(20);
    expect(choice?.finish_reason).toBe("stop");
    expect(choice?.logprobs).toBeNull();
    const usage = data.usage;
    expect(usage?.total_tokens).toBe((usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0));
    expect(usage?.prompt_tokens).toBeGreaterThan(10);
    expect(usage?.prompt_tokens_details).toEqual({ cached_tokens: 0, audio_tokens: 0 });
    const again = await client.chat.completions.create({ model: "any-model", messages });
    expect(again.choices[0]?.message.content).toBe(choice?.message.content);
    expect(again.id).not.toBe(data.id);
  });

  it("supports n, max_completion_tokens and stop", async () => {
    const three = await client.chat.completions.create({ model: "m", messages, n: 3 });
    expect(three.choices.map((choice) => choice.index)).toEqual([0, 1, 2]);
    const short = await client.chat.completions.create({ model: "m", messages, max_completion_tokens: 5 });
    expect(short.choices[0]?.finish_reason).toBe("length");
    expect(short.usage?.completion_tokens).toBe(5);
    const stopped = await client.chat.completions.create({ model: "m", messages, stop: ["."] });
    expect(stopped.choices[0]?.message.content).not.toContain(".");
    expect(stopped.choices[0]?.finish_reason).toBe("stop");
  });

  it("streams one delta per token that reassemble to the non-streamed answer", async () => {
    const whole = await client.chat.completions.create({ model: "m", messages });
    const chunks = await collect(
      await client.chat.completions.create({ model: "m", messages, stream: true }),
    );
    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    const deltas = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta.content ?? ""));
    expect(deltas.join("")).toBe(whole.choices[0]?.message.content);
    expect(chunks.filter((chunk) => chunk.choices[0]?.delta.content).length).toBe(
      whole.usage?.completion_tokens,
    );
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
    expect(
      chunks.every((chunk) => chunk.usage === undefined && chunk.object === "chat.completion.chunk"),
    ).toBe(true);
  });

  it("sends usage in a last, choice-less chunk when include_usage is set", async () => {
    const whole = await client.chat.completions.create({ model: "m", messages });
    const chunks = await collect(
      await client.chat.completions.create({
        model: "m",
        messages,
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual(whole.usage);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it("calls tools with schema-valid arguments, streamed or not", async () => {
    const whole = await client.chat.completions.create({ model: "m", messages, tools });
    const choice = whole.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBeNull();
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type).toBe("function");
    if (call?.type !== "function") throw new Error("expected a function call");
    expect(call.function.name).toBe("get_weather");
    expect(z.fromJSONSchema(weatherParameters).safeParse(JSON.parse(call.function.arguments)).success).toBe(
      true,
    );

    const streamed = await client.chat.completions
      .stream({ model: "m", messages, tools })
      .finalChatCompletion();
    expect(streamed.choices[0]?.message.tool_calls).toEqual(choice?.message.tool_calls);
    expect(streamed.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("paces streams without changing them", async () => {
    const paced = await startSimulatorServer({ ...settings, tokensPerSecond: 5000 }, {});
    try {
      const pacedClient = new OpenAI({ baseURL: `${paced.url}/v1`, apiKey: "x", maxRetries: 0 });
      const chunks = await collect(
        await pacedClient.chat.completions.create({ model: "m", messages, stream: true }),
      );
      const whole = await client.chat.completions.create({ model: "m", messages });
      expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe(
        whole.choices[0]?.message.content,
      );
    } finally {
      await paced.close();
    }
  });

  it("honours control headers for length and latency", async () => {
    const long = await client.chat.completions.create(
      { model: "m", messages },
      { headers: { "x-simulator-output-tokens": "400", "x-simulator-latency-ms": "1" } },
    );
    expect(long.usage?.completion_tokens).toBe(400);
    const bad = client.chat.completions.create(
      { model: "m", messages },
      { headers: { "x-simulator-latency-ms": "later" } },
    );
    await expect(bad).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });
});

describe("embeddings", () => {
  it("decodes the client's default base64 to the same unit vectors as float", async () => {
    const input = ["first document", "second document"];
    const viaBase64 = await client.embeddings.create({ model: "emb", input });
    const viaFloat = await client.embeddings.create({ model: "emb", input, encoding_format: "float" });
    expect(viaBase64.data.map((item) => item.embedding)).toEqual(viaFloat.data.map((item) => item.embedding));
    const vector = viaFloat.data[1]?.embedding ?? [];
    expect(vector).toHaveLength(64);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    expect(viaFloat).toMatchObject({
      object: "list",
      model: "emb",
      data: [{ object: "embedding", index: 0 }, { index: 1 }],
    });
    expect(viaFloat.usage.prompt_tokens).toBeGreaterThan(0);
    expect(viaFloat.usage.total_tokens).toBe(viaFloat.usage.prompt_tokens);
  });

  it("honours dimensions", async () => {
    const result = await client.embeddings.create({ model: "emb", input: "short", dimensions: 12 });
    expect(result.data[0]?.embedding).toHaveLength(12);
  });
});

describe("models and errors", () => {
  it("lists and retrieves the configured models", async () => {
    const page = await client.models.list();
    expect(page.data.map((model) => model.id)).toEqual(["sim-small", "sim-large"]);
    expect(page.data[0]).toMatchObject({ object: "model", owned_by: "switchyard-simulator" });
    expect((await client.models.retrieve("sim-large")).id).toBe("sim-large");
    await expect(client.models.retrieve("nope")).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("rejects a request without messages as OpenAI does", async () => {
    const error = await client.chat.completions
      .create({ model: "m" } as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({
      status: 400,
      param: "messages",
      code: "missing_required_parameter",
      type: "invalid_request_error",
    });
  });

  it("answers invalid JSON with 400 and unknown routes with 404, in OpenAI's error shape", async () => {
    const invalid = await fetch(`${server.url}/v1/chat/completions`, { method: "POST", body: "{nope" });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({
      error: { type: "invalid_request_error", param: null, code: null },
    });
    const missing = await fetch(`${server.url}/v1/unknown`, { method: "POST", body: "{}" });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: {
        message: "Invalid URL (POST /v1/unknown)",
        type: "invalid_request_error",
        param: null,
        code: null,
      },
    });
  });
});
