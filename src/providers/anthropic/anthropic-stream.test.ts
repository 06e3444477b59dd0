import { describe, expect, it } from "vitest";
import { openAiChatCodec } from "../openai/openai-chat-codec.js";
import { createStreamTranslator } from "../stream-translator.js";
import { anthropicCodec } from "./anthropic-codec.js";
import { sseEvents, wireFixture } from "./test-fixtures.js";

/** Feeds the text in small uneven pieces, as TCP would deliver it. */
function translate(text: string, from = anthropicCodec, to = openAiChatCodec): string {
  const translator = createStreamTranslator(from, to);
  let output = "";
  for (let offset = 0; offset < text.length; offset += 37)
    output += translator.feed(text.slice(offset, offset + 37));
  return output;
}

interface OpenAiChunk {
  choices: { delta: Record<string, unknown>; finish_reason: string | null }[];
  usage?: Record<string, unknown>;
}

describe("Anthropic stream → OpenAI chunks", () => {
  it("reassembles thinking, text and two tool calls by index, then finish, usage and [DONE]", () => {
    const events = sseEvents(translate(wireFixture("anthropic", "message-tool-use.chunks.txt")));
    expect(events.at(-1)).toEqual([undefined, "[DONE]"]);
    const chunks = events.slice(0, -1).map(([, data]) => data as OpenAiChunk);
    const deltas = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta));
    expect(deltas[0]).toEqual({ role: "assistant", content: "" });
    expect(deltas.map((delta) => delta.reasoning_content ?? "").join("")).toBe(
      "The user wants the weather in two cities. I should call get_weather for each.",
    );
    expect(deltas.map((delta) => delta.content ?? "").join("")).toBe("I'll check both cities.");
    const calls = new Map<number, { id: string; name: string; arguments: string }>();
    for (const delta of deltas) {
      for (const call of (delta.tool_calls ?? []) as {
        index: number;
        id?: string;
        function: { name?: string; arguments: string };
      }[]) {
        const known = calls.get(call.index) ?? {
          id: call.id ?? "",
          name: call.function.name ?? "",
          arguments: "",
        };
        known.arguments += call.function.arguments;
        calls.set(call.index, known);
      }
    }
    expect([...calls.entries()]).toEqual([
      [
        0,
        {
          id: "toolu_01A09q90qw90lq917835lq9",
          name: "get_weather",
          arguments: '{"location": "San Francisco, CA", "unit": "celsius"}',
        },
      ],
      [
        1,
        {
          id: "toolu_01B19r01rx01mr028946mr0",
          name: "get_weather",
          arguments: '{"location": "Paris, France", "unit": "celsius"}',
        },
      ],
    ]);
    const finish = chunks.filter((chunk) => chunk.choices[0]?.finish_reason != null);
    expect(finish.map((chunk) => chunk.choices[0]?.finish_reason)).toEqual(["tool_calls"]);
    expect(finish[0]).toMatchObject({ switchyard: { raw_finish_reason: "tool_use" } });
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 1972,
        completion_tokens: 138,
        total_tokens: 2110,
        prompt_tokens_details: { cached_tokens: 0, cache_creation_tokens: 1500 },
      },
    });
  });

  it("never ends a cut stream with [DONE]", () => {
    const full = wireFixture("anthropic", "message-text.chunks.txt");
    const cut = full.slice(0, full.indexOf("event: message_delta"));
    const output = translate(cut);
    expect(output).toContain("Hello");
    expect(output).not.toContain("[DONE]");
  });

  it("turns a mid-stream error event into an OpenAI error chunk and no [DONE]", () => {
    const events = sseEvents(translate(wireFixture("anthropic", "error-mid-stream.chunks.txt")));
    expect(events.at(-1)).toEqual([
      undefined,
      { error: { message: "Overloaded", type: "overloaded_error", param: null, code: null } },
    ]);
    expect(events.some(([, data]) => data === "[DONE]")).toBe(false);
  });
});

describe("OpenAI chunks → Anthropic stream", () => {
  it("writes message_start, one tool_use block per call with input_json_delta, message_delta and message_stop", () => {
    const events = sseEvents(
      translate(wireFixture("openai", "chat-tool-calls.chunks.txt"), openAiChatCodec, anthropicCodec),
    );
    const names = events.map(([name]) => name);
    expect(names).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    for (const [name, data] of events) expect((data as { type: string }).type).toBe(name);
    expect(events[1]?.[1]).toEqual({
      type: "content_block_start",
      index: 0,
      content_block: {
        type: "tool_use",
        id: "call_Dn2RJJSxzDm49vlVTehseJ0k",
        name: "get_weather",
        input: {},
      },
    });
    const inputs = new Map<number, string>();
    for (const [, data] of events) {
      const event = data as { type: string; index: number; delta?: { type: string; partial_json?: string } };
      if (event.delta?.type === "input_json_delta")
        inputs.set(event.index, (inputs.get(event.index) ?? "") + event.delta.partial_json);
    }
    expect(JSON.parse(inputs.get(0) ?? "")).toEqual({ location: "San Francisco, CA" });
    expect(JSON.parse(inputs.get(1) ?? "")).toEqual({ location: "Paris, France" });
    expect(events[8]?.[1]).toEqual({
      type: "message_delta",
      delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: {
        input_tokens: 82,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: 51,
      },
      switchyard: { raw_finish_reason: "tool_calls" },
    });
    expect(events[0]?.[1]).toMatchObject({
      message: { id: "msg_chatcmpl-BN7WbJm4Kq8lXqYzQ2rS3tUv", model: "gpt-4o-2024-08-06", role: "assistant" },
    });
  });

  it("estimates usage in message_delta when the OpenAI stream carried none", () => {
    const full = wireFixture("openai", "../../../../test/__fixtures__/openai/chat-completion.chunks.txt");
    const withoutUsage = full
      .split("\n\n")
      .filter((frame) => !frame.includes('"usage":{'))
      .join("\n\n");
    const translator = createStreamTranslator(openAiChatCodec, anthropicCodec, (text) => ({
      inputTokens: 9,
      outputTokens: text.length,
      cacheReadTokens: null,
      cacheWriteTokens: null,
      reasoningTokens: null,
    }));
    const events = sseEvents(translator.feed(withoutUsage));
    const delta = events.find(([name]) => name === "message_delta")?.[1];
    expect(delta).toMatchObject({
      usage: { input_tokens: 9, output_tokens: "Hello! How can I help?".length },
    });
  });

  it("writes text as one text block and never a message_stop for a cut stream", () => {
    const full = wireFixture("openai", "../../../../test/__fixtures__/openai/chat-completion.chunks.txt");
    const complete = sseEvents(translate(full, openAiChatCodec, anthropicCodec));
    const text = complete
      .map(([, data]) => (data as { delta?: { text?: string } }).delta?.text ?? "")
      .join("");
    expect(text).toBe("Hello! How can I help?");
    expect(complete.at(-1)?.[0]).toBe("message_stop");
    const cut = translate(full.slice(0, full.indexOf("[DONE]")), openAiChatCodec, anthropicCodec);
    expect(cut).not.toContain("message_stop");
  });
});
