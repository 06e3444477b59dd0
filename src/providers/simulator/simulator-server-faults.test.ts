import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimulatorSettings } from "../../core/gateway-config.js";
import { type SimulatorServer, startSimulatorServer } from "./simulator-server.js";

const settings: SimulatorSettings = {
  latencyMs: 0,
  tokensPerSecond: 0,
  models: ["sim"],
  faults: [],
  embeddingDimensions: 16,
};

const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: "user", content: "Fail for me." }];
const chatBody = { model: "sim", messages };

let server: SimulatorServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startSimulatorServer(settings, { host: "127.0.0.1", port: 0 });
  // logLevel "off": the client logs unparsable stream lines, which these tests provoke on purpose.
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "x", maxRetries: 0, logLevel: "off" });
});

afterAll(() => server.close());

function withFault(fault: string) {
  return { headers: { "x-simulator-fault": fault } };
}

/** A server and client of its own, for tests that close the server mid-response. */
async function isolated(overrides: Partial<SimulatorSettings> = {}) {
  const own = await startSimulatorServer({ ...settings, ...overrides }, {});
  return { own, ownClient: new OpenAI({ baseURL: `${own.url}/v1`, apiKey: "x", maxRetries: 0 }) };
}

describe("error faults", () => {
  it("429 surfaces as RateLimitError with Retry-After headers", async () => {
    const error = await client.chat.completions
      .create(chatBody, withFault("429;retry-after-ms=2500"))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({ status: 429, code: "rate_limit_exceeded", type: "requests" });
    const headers = (error as InstanceType<typeof OpenAI.RateLimitError>).headers;
    expect(headers.get("retry-after")).toBe("3");
    expect(headers.get("retry-after-ms")).toBe("2500");
  });

  it("500 surfaces as InternalServerError, for embeddings too", async () => {
    await expect(client.chat.completions.create(chatBody, withFault("500"))).rejects.toBeInstanceOf(
      OpenAI.InternalServerError,
    );
    await expect(
      client.embeddings.create({ model: "e", input: "x" }, withFault("500")),
    ).rejects.toBeInstanceOf(OpenAI.InternalServerError);
  });

  it("reset surfaces as APIConnectionError, streaming or not", async () => {
    await expect(client.chat.completions.create(chatBody, withFault("reset"))).rejects.toBeInstanceOf(
      OpenAI.APIConnectionError,
    );
    await expect(
      client.chat.completions.create({ ...chatBody, stream: true }, withFault("reset")),
    ).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it("rate 0 never fires, and an unknown fault is a 400", async () => {
    const ok = await client.chat.completions.create(chatBody, withFault("429;rate=0, 500;rate=0"));
    expect(ok.choices[0]?.finish_reason).toBe("stop");
    await expect(client.chat.completions.create(chatBody, withFault("explode"))).rejects.toBeInstanceOf(
      OpenAI.BadRequestError,
    );
  });

  it("applies configured faults unless the request overrides them", async () => {
    const { own, ownClient } = await isolated({ faults: [{ kind: "500", rate: 1 }] });
    try {
      await expect(ownClient.chat.completions.create(chatBody)).rejects.toBeInstanceOf(
        OpenAI.InternalServerError,
      );
      const ok = await ownClient.chat.completions.create(chatBody, withFault("none"));
      expect(ok.object).toBe("chat.completion");
    } finally {
      await own.close();
    }
  });
});

describe("stream faults", () => {
  it("cut-mid-stream delivers some chunks, then the iteration throws without a finish", async () => {
    const full = await client.chat.completions.create(chatBody);
    const stream = await client.chat.completions.create(
      { ...chatBody, stream: true },
      withFault("cut-mid-stream"),
    );
    const received: OpenAI.Chat.ChatCompletionChunk[] = [];
    const iteration = (async () => {
      for await (const chunk of stream) received.push(chunk);
    })();
    await expect(iteration).rejects.toThrow();
    expect(received.length).toBeGreaterThan(0);
    expect(received.length).toBeLessThan((full.usage?.completion_tokens ?? 0) + 2);
    expect(received.some((chunk) => chunk.choices[0]?.finish_reason)).toBe(false);
  });

  it("malformed-sse makes the iteration throw on a non-JSON data line", async () => {
    const stream = await client.chat.completions.create(
      { ...chatBody, stream: true },
      withFault("malformed-sse"),
    );
    const received: OpenAI.Chat.ChatCompletionChunk[] = [];
    const iteration = (async () => {
      for await (const chunk of stream) received.push(chunk);
    })();
    await expect(iteration).rejects.toBeInstanceOf(SyntaxError);
    expect(received.length).toBeGreaterThan(0);
  });

  it("stall sends the first chunk and nothing more until the server closes", async () => {
    const { own, ownClient } = await isolated();
    const stream = await ownClient.chat.completions.create({ ...chatBody, stream: true }, withFault("stall"));
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    expect(first.value?.choices[0]?.delta.role).toBe("assistant");
    await own.close();
    await expect(iterator.next()).rejects.toThrow();
  });

  it("stall ends quietly when the client gives up", async () => {
    const stream = await client.chat.completions.create({ ...chatBody, stream: true }, withFault("stall"));
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    const pending = iterator.next();
    stream.controller.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
    // The server is still healthy for the next request on the same pool.
    expect((await client.chat.completions.create(chatBody)).object).toBe("chat.completion");
  });
});

describe("non-streaming body faults", () => {
  it("cut-mid-stream fails the request after the headers", async () => {
    const response = await client.chat.completions.create(chatBody, withFault("cut-mid-stream")).asResponse();
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it("malformed-sse delivers truncated JSON that fails to parse", async () => {
    await expect(client.chat.completions.create(chatBody, withFault("malformed-sse"))).rejects.toBeInstanceOf(
      SyntaxError,
    );
    await expect(
      client.embeddings.create({ model: "e", input: "x" }, withFault("malformed-sse")),
    ).rejects.toBeInstanceOf(SyntaxError);
  });

  it("stall sends headers only, until the server closes", async () => {
    const { own, ownClient } = await isolated();
    const response = await ownClient.chat.completions.create(chatBody, withFault("stall")).asResponse();
    expect(response.status).toBe(200);
    const body = response.text();
    await own.close();
    await expect(body).rejects.toThrow();
  });

  it("stall ends when the client aborts", async () => {
    const controller = new AbortController();
    const response = await client.chat.completions
      .create(chatBody, { ...withFault("stall"), signal: controller.signal })
      .asResponse();
    const body = response.text();
    controller.abort();
    await expect(body).rejects.toThrow();
  });
});
