import { describe, expect, it } from "vitest";
import { buildChatChunks } from "./build-chat-chunks.js";
import { parseChatRequest } from "./parse-chat-request.js";
import { buildChatCompletion, simulateChatCompletion } from "./simulate-chat-completion.js";
import type { WireChatCompletionChunk } from "./simulator-wire.js";

const meta = {
  id: "chatcmpl-abc",
  created: 1_750_000_000,
  model: "sim-1",
  system_fingerprint: "fp_0123456789",
};
const tools = [
  {
    type: "function",
    function: {
      name: "lookup",
      parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] },
    },
  },
];

function simulate(body: Record<string, unknown>) {
  const parsed = parseChatRequest({
    model: "sim-1",
    messages: [{ role: "user", content: "Stream it" }],
    ...body,
  });
  if (!parsed.ok) throw new Error(parsed.issue.message);
  return simulateChatCompletion(parsed.value);
}

/** What a client does with the stream: concatenate deltas per choice. */
function reassemble(chunks: readonly WireChatCompletionChunk[]) {
  const choices = new Map<number, { content: string; args: string; name: string; finish: string | null }>();
  for (const chunk of chunks) {
    for (const choice of chunk.choices) {
      const state = choices.get(choice.index) ?? { content: "", args: "", name: "", finish: null };
      state.content += choice.delta.content ?? "";
      for (const call of choice.delta.tool_calls ?? []) {
        state.name += call.function.name ?? "";
        state.args += call.function.arguments;
      }
      state.finish = choice.finish_reason ?? state.finish;
      choices.set(choice.index, state);
    }
  }
  return choices;
}

describe("buildChatChunks", () => {
  it("streams a role chunk, one delta per token and a finish chunk that reassemble to the completion", () => {
    const simulated = simulate({});
    const timed = buildChatChunks(simulated, meta, false);
    const chunks = timed.map((entry) => entry.chunk);
    const content = simulated.choices[0]?.content;
    expect(chunks).toHaveLength((content?.pieces.length ?? 0) + 2);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "", refusal: null });
    expect(chunks.at(-1)?.choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: "stop" });
    expect(chunks.every((chunk) => !("usage" in chunk))).toBe(true);
    expect(chunks[1]).toEqual({
      id: "chatcmpl-abc",
      object: "chat.completion.chunk",
      created: 1_750_000_000,
      model: "sim-1",
      service_tier: "default",
      system_fingerprint: "fp_0123456789",
      choices: [{ index: 0, delta: { content: content?.pieces[0] }, logprobs: null, finish_reason: null }],
    });
    expect(reassemble(chunks).get(0)?.content).toBe(
      buildChatCompletion(simulated, meta).choices[0]?.message.content,
    );
    expect(timed.map((entry) => entry.step)).toEqual(
      [...timed.map((entry) => entry.step)].sort((a, b) => a - b),
    );
    expect(timed.at(-1)?.step).toBe(content?.pieces.length);
  });

  it("adds usage: null to every chunk and a final usage chunk when include_usage is set", () => {
    const simulated = simulate({ n: 2 });
    const chunks = buildChatChunks(simulated, meta, true).map((entry) => entry.chunk);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({
      prompt_tokens: simulated.promptTokens,
      completion_tokens: simulated.completionTokens,
      total_tokens: simulated.promptTokens + simulated.completionTokens,
    });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it("interleaves n choices by token step", () => {
    const simulated = simulate({ n: 2 });
    const chunks = buildChatChunks(simulated, meta, false).map((entry) => entry.chunk);
    expect(chunks.slice(0, 4).map((chunk) => chunk.choices[0]?.index)).toEqual([0, 1, 0, 1]);
    const assembled = reassemble(chunks);
    expect(assembled.get(1)?.content).toBe(simulated.choices[1]?.content?.text);
    expect(assembled.get(1)?.finish).toBe("stop");
  });

  it("streams a tool call as id, type and name first, then argument fragments", () => {
    const simulated = simulate({ tools });
    const chunks = buildChatChunks(simulated, meta, false).map((entry) => entry.chunk);
    const call = simulated.choices[0]?.toolCalls[0];
    expect(chunks[0]?.choices[0]?.delta).toEqual({
      role: "assistant",
      content: null,
      tool_calls: [{ index: 0, id: call?.id, type: "function", function: { name: "lookup", arguments: "" } }],
      refusal: null,
    });
    expect(chunks[1]?.choices[0]?.delta).toEqual({
      tool_calls: [{ index: 0, function: { arguments: call?.arguments.pieces[0] } }],
    });
    const assembled = reassemble(chunks).get(0);
    expect(assembled?.args).toBe(call?.arguments.text);
    expect(assembled?.name).toBe("lookup");
    expect(assembled?.finish).toBe("tool_calls");
  });
});
