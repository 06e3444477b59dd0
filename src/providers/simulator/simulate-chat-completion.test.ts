import { describe, expect, it } from "vitest";
import { z } from "zod";
import { countTextTokens } from "../../core/tokenizer.js";
import { countPromptTokens } from "./count-tokens.js";
import { parseChatRequest, type SimulatorChatRequest } from "./parse-chat-request.js";
import {
  buildChatCompletion,
  simulateChatCompletion,
  systemFingerprint,
} from "./simulate-chat-completion.js";
import type { JsonRecord } from "./simulator-wire.js";

function request(body: Record<string, unknown>): SimulatorChatRequest {
  const parsed = parseChatRequest({
    model: "sim-1",
    messages: [{ role: "user", content: "Hello there" }],
    ...body,
  });
  if (!parsed.ok) throw new Error(parsed.issue.message);
  return parsed.value;
}

const weatherParameters: JsonRecord = {
  type: "object",
  properties: { city: { type: "string" }, unit: { enum: ["c", "f"] } },
  required: ["city", "unit"],
};
const weatherTool = { type: "function", function: { name: "get_weather", parameters: weatherParameters } };
const timeTool = {
  type: "function",
  function: { name: "get_time", parameters: { type: "object", properties: {} } },
};

describe("simulateChatCompletion", () => {
  it("gives the same content for the same messages and different content for different ones", () => {
    const a = simulateChatCompletion(request({}));
    expect(simulateChatCompletion(request({ temperature: 1.5 }))).toEqual(a);
    const other = simulateChatCompletion(request({ messages: [{ role: "user", content: "Hello there!" }] }));
    expect(other.choices[0]?.content?.text).not.toBe(a.choices[0]?.content?.text);
    expect(simulateChatCompletion(request({ seed: 7 })).choices[0]?.content?.text).not.toBe(
      a.choices[0]?.content?.text,
    );
  });

  it("counts usage from the messages and the generated text", () => {
    const simulated = simulateChatCompletion(request({}));
    const text = simulated.choices[0]?.content?.text ?? "";
    expect(simulated.promptTokens).toBe(countPromptTokens([{ role: "user", content: "Hello there" }]));
    expect(simulated.completionTokens).toBe(countTextTokens(text));
  });

  it("returns n distinct choices whose first matches n = 1, summing completion tokens", () => {
    const one = simulateChatCompletion(request({}));
    const three = simulateChatCompletion(request({ n: 3 }));
    expect(three.choices.map((choice) => choice.index)).toEqual([0, 1, 2]);
    expect(three.choices[0]).toEqual(one.choices[0]);
    expect(new Set(three.choices.map((choice) => choice.content?.text)).size).toBe(3);
    expect(three.completionTokens).toBe(
      three.choices.reduce((sum, choice) => sum + choice.completionTokens, 0),
    );
    expect(three.promptTokens).toBe(one.promptTokens);
  });

  it("calls an offered tool with schema-valid arguments", () => {
    const simulated = simulateChatCompletion(request({ tools: [weatherTool] }));
    const choice = simulated.choices[0];
    expect(choice?.finishReason).toBe("tool_calls");
    expect(choice?.content).toBeNull();
    const call = choice?.toolCalls[0];
    expect(call?.name).toBe("get_weather");
    expect(call?.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
    const schema = z.fromJSONSchema(weatherParameters);
    expect(schema.safeParse(JSON.parse(call?.arguments.text ?? "")).success).toBe(true);
    expect(choice?.completionTokens).toBe(countTextTokens("get_weather") + (call?.arguments.tokenCount ?? 0));
  });

  it("follows tool_choice: a named function, none, and prose after a tool result", () => {
    const named = simulateChatCompletion(
      request({
        tools: [weatherTool, timeTool],
        tool_choice: { type: "function", function: { name: "get_time" } },
      }),
    );
    expect(named.choices[0]?.toolCalls[0]?.name).toBe("get_time");
    expect(named.choices[0]?.toolCalls[0]?.arguments.text).toBe("{}");
    const none = simulateChatCompletion(request({ tools: [weatherTool], tool_choice: "none" }));
    expect(none.choices[0]?.toolCalls).toEqual([]);
    expect(none.choices[0]?.finishReason).toBe("stop");
    const afterResult = [
      { role: "user", content: "Weather?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "call_1", content: "sunny" },
    ];
    const prose = simulateChatCompletion(request({ messages: afterResult, tools: [weatherTool] }));
    expect(prose.choices[0]?.finishReason).toBe("stop");
    const forced = simulateChatCompletion(
      request({ messages: afterResult, tools: [weatherTool], tool_choice: "required" }),
    );
    expect(forced.choices[0]?.finishReason).toBe("tool_calls");
  });

  it("applies max tokens, stop and the output-token override", () => {
    expect(simulateChatCompletion(request({ max_completion_tokens: 4 })).choices[0]).toMatchObject({
      finishReason: "length",
      completionTokens: 4,
    });
    expect(simulateChatCompletion(request({}), { outputTokens: 250 }).completionTokens).toBe(250);
    const stopped = simulateChatCompletion(request({ stop: ["."] })).choices[0]?.content?.text ?? ".";
    expect(stopped).not.toContain(".");
  });
});

describe("buildChatCompletion", () => {
  it("renders OpenAI's chat.completion shape", () => {
    const simulated = simulateChatCompletion(request({ n: 2 }));
    const meta = {
      id: "chatcmpl-x",
      created: 1,
      model: "sim-1",
      system_fingerprint: systemFingerprint("sim-1"),
    };
    const wire = buildChatCompletion(simulated, meta);
    expect(Object.keys(wire)).toEqual([
      "id",
      "object",
      "created",
      "model",
      "choices",
      "usage",
      "service_tier",
      "system_fingerprint",
    ]);
    expect(wire.object).toBe("chat.completion");
    expect(wire.system_fingerprint).toMatch(/^fp_[0-9a-f]{10}$/);
    expect(wire.choices[1]).toEqual({
      index: 1,
      message: {
        role: "assistant",
        content: simulated.choices[1]?.content?.text,
        refusal: null,
        annotations: [],
      },
      logprobs: null,
      finish_reason: "stop",
    });
    expect(wire.usage).toMatchObject({
      prompt_tokens: simulated.promptTokens,
      completion_tokens: simulated.completionTokens,
      total_tokens: simulated.promptTokens + simulated.completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
  });
});
