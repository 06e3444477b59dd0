import { describe, expect, it } from "vitest";
import { parseChatRequest } from "./parse-chat-request.js";

const messages = [{ role: "user", content: "hi" }];

function issueOf(body: unknown) {
  const result = parseChatRequest(body);
  if (result.ok) throw new Error("expected a rejection");
  return result.issue;
}

describe("parseChatRequest", () => {
  it("reads the fields the simulator uses, with OpenAI's defaults", () => {
    const result = parseChatRequest({ model: "m", messages });
    expect(result).toEqual({
      ok: true,
      value: {
        model: "m",
        messages,
        n: 1,
        maxTokens: undefined,
        stop: [],
        tools: [],
        toolChoice: { mode: "auto", allowed: undefined },
        stream: false,
        includeUsage: false,
        seed: undefined,
      },
    });
  });

  it("prefers max_completion_tokens, normalises stop and reads stream options", () => {
    const result = parseChatRequest({
      model: "m",
      messages,
      max_tokens: 50,
      max_completion_tokens: 9,
      stop: "END",
      stream: true,
      stream_options: { include_usage: true },
      n: 3,
    });
    expect(result.ok && result.value).toMatchObject({
      maxTokens: 9,
      stop: ["END"],
      stream: true,
      includeUsage: true,
      n: 3,
    });
  });

  it("reads function tools and tool_choice forms", () => {
    const tools = [
      { type: "function", function: { name: "a", parameters: { type: "object" } } },
      { type: "function", function: { name: "b" } },
      { type: "custom", custom: { name: "free" } },
    ];
    const named = parseChatRequest({
      model: "m",
      messages,
      tools,
      tool_choice: { type: "function", function: { name: "b" } },
    });
    expect(named.ok && named.value.tools).toEqual([
      { name: "a", parameters: { type: "object" } },
      { name: "b", parameters: undefined },
    ]);
    expect(named.ok && named.value.toolChoice).toEqual({ mode: "required", allowed: ["b"] });
    const none = parseChatRequest({ model: "m", messages, tools, tool_choice: "none" });
    expect(none.ok && none.value.toolChoice).toEqual({ mode: "none", allowed: undefined });
    const allowed = parseChatRequest({
      model: "m",
      messages,
      tools,
      tool_choice: {
        type: "allowed_tools",
        allowed_tools: { mode: "required", tools: [{ type: "function", function: { name: "a" } }] },
      },
    });
    expect(allowed.ok && allowed.value.toolChoice).toEqual({ mode: "required", allowed: ["a"] });
  });

  it("rejects what OpenAI rejects, naming the parameter", () => {
    expect(issueOf({ messages })).toMatchObject({ param: "model", code: "missing_required_parameter" });
    expect(issueOf({ model: "m" })).toMatchObject({ param: "messages", code: "missing_required_parameter" });
    expect(issueOf({ model: "m", messages: [] })).toMatchObject({ param: "messages", code: "empty_array" });
    expect(issueOf({ model: 1, messages })).toMatchObject({ param: "model", code: "invalid_type" });
    expect(issueOf({ model: "m", messages: [{ role: "robot" }] })).toMatchObject({
      param: "messages[0].role",
    });
    expect(issueOf({ model: "m", messages: ["hi"] })).toMatchObject({ param: "messages[0]" });
    expect(issueOf({ model: "m", messages, n: 0 })).toMatchObject({ param: "n" });
    expect(issueOf({ model: "m", messages, n: 1.5 })).toMatchObject({ param: "n", code: "invalid_type" });
    expect(issueOf({ model: "m", messages, max_tokens: "9" })).toMatchObject({ param: "max_tokens" });
    expect(issueOf({ model: "m", messages, stop: ["a", "b", "c", "d", "e"] })).toMatchObject({
      param: "stop",
    });
    expect(issueOf({ model: "m", messages, stream_options: { include_usage: true } })).toMatchObject({
      param: "stream_options",
    });
    expect(issueOf({ model: "m", messages, tool_choice: "auto" })).toMatchObject({ param: "tool_choice" });
    expect(
      issueOf({
        model: "m",
        messages,
        tools: [{ type: "function", function: { name: "a" } }],
        tool_choice: { type: "function", function: { name: "zz" } },
      }),
    ).toMatchObject({ param: "tool_choice" });
    expect(issueOf([])).toMatchObject({ code: "invalid_type" });
  });
});
