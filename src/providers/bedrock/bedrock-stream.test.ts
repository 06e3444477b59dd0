import { describe, expect, it } from "vitest";
import type { ClientChatCodec } from "../../core/dialect-codec.js";
import { GatewayError } from "../../core/gateway-error.js";
import { anthropicCodec } from "../anthropic/anthropic-codec.js";
import { sseEvents } from "../anthropic/test-fixtures.js";
import { openAiChatCodec } from "../openai/openai-chat-codec.js";
import { createStreamTranslator } from "../stream-translator.js";
import { bedrockCodec } from "./bedrock-codec.js";
import { eventStreamToSse } from "./bedrock-event-stream.js";
import { createBedrockStreamDecoder } from "./bedrock-stream.js";
import { encodeStreamMessages, streamMessages } from "./test-fixtures.js";

const start = { requestId: "6f2c1a8e-4d1b-4f0a-9c2e-7b3d5e8f9a01", modelId: "amazon.nova-pro-v1:0" };

/** The frames of a recorded stream as one byte run, cut into uneven pieces as TCP delivers them. */
async function* piecesOf(frames: readonly Uint8Array[], size = 29): AsyncIterable<Uint8Array> {
  const all = Buffer.concat(frames);
  for (let offset = 0; offset < all.length; offset += size) yield all.subarray(offset, offset + size);
}

async function collectSse(source: AsyncIterable<Uint8Array>): Promise<string> {
  let text = "";
  for await (const bytes of eventStreamToSse(source, start, "bedrock-test"))
    text += Buffer.from(bytes).toString("utf8");
  return text;
}

async function translate(
  fixture: string,
  to: ClientChatCodec = openAiChatCodec,
): Promise<[string | undefined, unknown][]> {
  const sse = await collectSse(piecesOf(encodeStreamMessages(streamMessages(fixture))));
  const translator = createStreamTranslator(bedrockCodec, to);
  return sseEvents(translator.feed(sse));
}

interface OpenAiChunk {
  id: string;
  model: string;
  choices: { delta: Record<string, unknown>; finish_reason: string | null }[];
  usage?: Record<string, unknown> | null;
}

describe("ConverseStream binary event stream → SSE", () => {
  it("gives one SSE frame per message, named by :event-type, with the request and model id in messageStart", async () => {
    const sse = await collectSse(
      piecesOf(encodeStreamMessages(streamMessages("converse-stream-text.events.json"))),
    );
    const events = sseEvents(sse);
    expect(events.map(([name]) => name)).toEqual([
      "messageStart",
      "contentBlockDelta",
      "contentBlockDelta",
      "contentBlockStop",
      "messageStop",
      "metadata",
    ]);
    expect(events[0]?.[1]).toEqual({
      p: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW",
      role: "assistant",
      ...start,
    });
    expect(events[1]?.[1]).toEqual({
      contentBlockIndex: 0,
      delta: { text: "Hello" },
      p: "abcdefghijklmnopq",
    });
  });

  it("turns an exception message into an error event with the exception's name", async () => {
    const sse = await collectSse(
      piecesOf(encodeStreamMessages(streamMessages("converse-stream-exception.events.json"))),
    );
    expect(sseEvents(sse).at(-1)).toEqual([
      "error",
      { __type: "throttlingException", message: "Too many tokens, please wait before trying again." },
    ]);
  });

  it("rejects a stream cut inside a message and a frame with a bad checksum as interrupted", async () => {
    const frames = encodeStreamMessages(streamMessages("converse-stream-text.events.json"));
    const all = Buffer.concat(frames);
    const cut = collectSse(piecesOf([all.subarray(0, all.length - 7)]));
    await expect(cut).rejects.toThrow(GatewayError);
    await expect(cut).rejects.toMatchObject({ code: "GW_ERR_STREAM_INTERRUPTED" });
    const corrupt = Buffer.from(frames[1] ?? new Uint8Array());
    corrupt[corrupt.length - 10] = (corrupt[corrupt.length - 10] ?? 0) ^ 0xff;
    await expect(collectSse(piecesOf([frames[0] ?? new Uint8Array(), corrupt]))).rejects.toMatchObject({
      code: "GW_ERR_STREAM_INTERRUPTED",
    });
  });

  it("returns the source when the reader leaves early, releasing the connection", async () => {
    let returned = false;
    const frames = encodeStreamMessages(streamMessages("converse-stream-text.events.json"));
    const source: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]() {
        let index = 0;
        return {
          next: () =>
            Promise.resolve(
              index < frames.length
                ? { done: false, value: frames[index++] as Uint8Array }
                : { done: true, value: undefined },
            ),
          return: () => {
            returned = true;
            return Promise.resolve({ done: true, value: undefined });
          },
        };
      },
    };
    for await (const _bytes of eventStreamToSse(source, start, "bedrock-test")) break;
    expect(returned).toBe(true);
  });
});

describe("ConverseStream → OpenAI chunks", () => {
  it("streams text, then the finish reason and usage (cache reads included) after metadata, then [DONE]", async () => {
    const events = await translate("converse-stream-text.events.json");
    expect(events.at(-1)).toEqual([undefined, "[DONE]"]);
    const chunks = events.slice(0, -1).map(([, data]) => data as OpenAiChunk);
    expect(chunks[0]?.id).toBe(`chatcmpl-${start.requestId}`);
    expect(chunks[0]?.model).toBe("amazon.nova-pro-v1:0");
    const text = chunks
      .flatMap((chunk) => chunk.choices.map((choice) => choice.delta.content ?? ""))
      .join("");
    expect(text).toBe("Hello! How can I help you today?");
    const finishes = chunks
      .flatMap((chunk) => chunk.choices.map((choice) => choice.finish_reason))
      .filter(Boolean);
    expect(finishes).toEqual(["stop"]);
    const usage = chunks.find((chunk) => chunk.usage)?.usage;
    expect(usage).toMatchObject({
      prompt_tokens: 2060,
      completion_tokens: 12,
      total_tokens: 2072,
      prompt_tokens_details: { cached_tokens: 2048 },
    });
  });

  it("reassembles two streamed tool calls per index with their ids, and finishes with tool_calls", async () => {
    const events = await translate("converse-stream-tool-use.events.json");
    const chunks = events.slice(0, -1).map(([, data]) => data as OpenAiChunk);
    const calls: { id?: string; name?: string; arguments: string }[] = [];
    for (const chunk of chunks) {
      for (const choice of chunk.choices) {
        const toolCalls = (choice.delta.tool_calls ?? []) as {
          index: number;
          id?: string;
          function?: { name?: string; arguments?: string };
        }[];
        for (const call of toolCalls) {
          const entry = calls[call.index] ?? { arguments: "" };
          if (call.id !== undefined) entry.id = call.id;
          if (call.function?.name !== undefined) entry.name = call.function.name;
          entry.arguments += call.function?.arguments ?? "";
          calls[call.index] = entry;
        }
      }
    }
    expect(calls).toEqual([
      {
        id: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
        name: "get_weather",
        arguments: '{"location": "San Francisco, CA"}',
      },
      {
        id: "tooluse_0Xr3mPq9TZuX1wH7cVbN2A",
        name: "get_weather",
        arguments: '{"location": "Paris, France"}',
      },
    ]);
    const finishes = chunks
      .flatMap((chunk) => chunk.choices.map((choice) => choice.finish_reason))
      .filter(Boolean);
    expect(finishes).toEqual(["tool_calls"]);
  });

  it("turns a mid-stream throttlingException into an OpenAI error chunk and no [DONE]", async () => {
    const events = await translate("converse-stream-exception.events.json");
    expect(events.at(-1)).toEqual([
      undefined,
      {
        error: {
          message: "Too many tokens, please wait before trying again.",
          type: "rate_limit_error",
          param: null,
          code: null,
        },
      },
    ]);
    expect(events.some(([, data]) => data === "[DONE]")).toBe(false);
  });
});

describe("ConverseStream → Anthropic events", () => {
  it("streams thinking with its signature, then text, message_delta with usage and message_stop", async () => {
    const events = await translate("converse-stream-reasoning.events.json", anthropicCodec);
    expect(events.map(([name]) => name)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const deltas = events.map(([, data]) => (data as { delta?: Record<string, unknown> }).delta);
    expect(deltas[2]).toEqual({ type: "thinking_delta", thinking: "27 * 453" });
    expect(deltas[4]).toEqual({
      type: "signature_delta",
      signature: "EqoBCkgIAxABGAIiQJ2f0hK7mUq1sYzq8Vw6bYp0Jr3CqXz+Zk1mTt9m0Qd5yJvS0a0Lw==",
    });
    expect(deltas[7]).toEqual({ type: "text_delta", text: "27 × 453 = 12,231." });
    expect(events[9]?.[1]).toMatchObject({
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { input_tokens: 48, output_tokens: 210 },
    });
  });

  it("turns a mid-stream throttlingException into an Anthropic error event and no message_stop", async () => {
    const events = await translate("converse-stream-exception.events.json", anthropicCodec);
    expect(events.at(-1)).toEqual([
      "error",
      {
        type: "error",
        error: { type: "rate_limit_error", message: "Too many tokens, please wait before trying again." },
      },
    ]);
    expect(events.some(([name]) => name === "message_stop")).toBe(false);
  });
});

describe("ConverseStream exceptions → canonical error parts", () => {
  it.each([
    ["throttlingException", "rate_limit_error"],
    ["modelStreamErrorException", "api_error"],
    ["validationException", "invalid_request_error"],
    ["serviceUnavailableException", "overloaded_error"],
    ["internalServerException", "api_error"],
  ])("maps %s to %s and keeps the message", (exception, errorType) => {
    const parts = createBedrockStreamDecoder().decode(
      "error",
      JSON.stringify({ __type: exception, message: "The model stream failed: upstream said no." }),
    );
    expect(parts).toEqual([
      { type: "error", errorType, message: "The model stream failed: upstream said no." },
    ]);
  });

  it("ends a stream cleanly only after metadata, even when messageStop came", () => {
    const decoder = createBedrockStreamDecoder();
    expect(decoder.decode("messageStop", JSON.stringify({ stopReason: "max_tokens" }))).toEqual([]);
    expect(
      decoder.decode("metadata", JSON.stringify({ usage: { inputTokens: 5, outputTokens: 7 } })),
    ).toEqual([
      {
        type: "usage",
        usage: {
          inputTokens: 5,
          outputTokens: 7,
          cacheReadTokens: null,
          cacheWriteTokens: null,
          reasoningTokens: null,
        },
      },
      { type: "finish", finishReason: { unified: "length", raw: "max_tokens", stopSequence: null } },
      { type: "end" },
    ]);
  });
});
