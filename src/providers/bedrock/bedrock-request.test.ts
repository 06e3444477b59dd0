import { describe, expect, it } from "vitest";
import { GatewayError } from "../../core/gateway-error.js";
import { readAnthropicRequest } from "../anthropic/anthropic-request.js";
import { readOpenAiChatRequest } from "../openai/openai-chat-request.js";
import { splitBedrockEnvelope, writeBedrockRequest } from "./bedrock-request.js";

const modelId = "anthropic.claude-3-5-sonnet-20241022-v2:0";

/** An OpenAI Chat body → the Converse envelope, with the warnings both sides reported. */
function fromOpenAi(body: Record<string, unknown>): { written: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  const canonical = readOpenAiChatRequest({ model: modelId, ...body }, warnings);
  return { written: writeBedrockRequest(canonical, warnings), warnings };
}

const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather for a city",
    parameters: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
  },
};
const weatherSpec = {
  toolSpec: {
    name: "get_weather",
    description: "Current weather for a city",
    inputSchema: {
      json: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
    },
  },
};

describe("canonical → Bedrock Converse request", () => {
  it("writes system blocks, multi-turn messages, inference settings, and the model id and stream flag beside", () => {
    const { written, warnings } = fromOpenAi({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "system", content: "Answer in English." },
        { role: "user", content: "Hello" },
        { role: "assistant", content: "Hi! What can I do?" },
        { role: "user", content: "Count to five." },
      ],
      max_tokens: 256,
      temperature: 0.2,
      top_p: 0.9,
      stop: ["###"],
      stream: true,
      user: "user-42",
    });
    expect(written).toEqual({
      modelId,
      stream: true,
      messages: [
        { role: "user", content: [{ text: "Hello" }] },
        { role: "assistant", content: [{ text: "Hi! What can I do?" }] },
        { role: "user", content: [{ text: "Count to five." }] },
      ],
      system: [{ text: "Be brief." }, { text: "Answer in English." }],
      inferenceConfig: { maxTokens: 256, temperature: 0.2, topP: 0.9, stopSequences: ["###"] },
      requestMetadata: { user: "user-42" },
    });
    expect(warnings).toEqual([]);
    const envelope = splitBedrockEnvelope(written);
    expect(envelope.modelId).toBe(modelId);
    expect(envelope.stream).toBe(true);
    expect(envelope.body).not.toHaveProperty("modelId");
    expect(envelope.body).not.toHaveProperty("stream");
  });

  it("sends base64 images as bytes with their format and refuses image URLs and unknown formats", () => {
    const { written } = fromOpenAi({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is in this picture?" },
            { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ==" } },
          ],
        },
      ],
    });
    expect(written.messages).toEqual([
      {
        role: "user",
        content: [
          { text: "What is in this picture?" },
          { image: { format: "jpeg", source: { bytes: "/9j/4AAQSkZJRgABAQ==" } } },
        ],
      },
    ]);
    const withUrl = () =>
      fromOpenAi({
        messages: [
          { role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/a.png" } }] },
        ],
      });
    expect(withUrl).toThrow(GatewayError);
    expect(withUrl).toThrow(/image URLs: Bedrock Converse takes image bytes only/);
    const withTiff = () =>
      fromOpenAi({
        messages: [
          {
            role: "user",
            content: [{ type: "image_url", image_url: { url: "data:image/tiff;base64,SUkq" } }],
          },
        ],
      });
    expect(withTiff).toThrow(/image type image\/tiff/);
  });

  it("writes tools as toolSpec with JSON schema and maps tool_choice auto, required and a named tool", () => {
    const auto = fromOpenAi({ messages: [{ role: "user", content: "Weather?" }], tools: [weatherTool] });
    expect(auto.written.toolConfig).toEqual({ tools: [weatherSpec] });
    const explicitAuto = fromOpenAi({
      messages: [{ role: "user", content: "Weather?" }],
      tools: [weatherTool],
      tool_choice: "auto",
    });
    expect(explicitAuto.written.toolConfig).toEqual({ tools: [weatherSpec], toolChoice: { auto: {} } });
    const required = fromOpenAi({
      messages: [{ role: "user", content: "Weather?" }],
      tools: [weatherTool],
      tool_choice: "required",
    });
    expect(required.written.toolConfig).toEqual({ tools: [weatherSpec], toolChoice: { any: {} } });
    const named = fromOpenAi({
      messages: [{ role: "user", content: "Weather?" }],
      tools: [weatherTool],
      tool_choice: { type: "function", function: { name: "get_weather" } },
      parallel_tool_calls: false,
    });
    expect(named.written.toolConfig).toEqual({
      tools: [weatherSpec],
      toolChoice: { tool: { name: "get_weather" } },
    });
    expect(named.warnings).toEqual(["parallel_tool_calls false has no Converse equivalent; dropped"]);
  });

  it("drops the tools for tool_choice none unless the history holds tool blocks (Converse then needs them)", () => {
    const fresh = fromOpenAi({
      messages: [{ role: "user", content: "Weather?" }],
      tools: [weatherTool],
      tool_choice: "none",
    });
    expect(fresh.written).not.toHaveProperty("toolConfig");
    expect(fresh.warnings).toEqual([]);
  });

  it("writes parallel tool calls and their results (one user turn, error status kept) in a round trip", () => {
    const { written, warnings } = fromOpenAi({
      messages: [
        { role: "user", content: "Weather in SF and Paris?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
              type: "function",
              function: { name: "get_weather", arguments: '{"location":"San Francisco, CA"}' },
            },
            {
              id: "tooluse_0Xr3mPq9TZuX1wH7cVbN2A",
              type: "function",
              function: { name: "get_weather", arguments: '{"location":"Paris, France"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", content: "18°C, fog" },
        { role: "tool", tool_call_id: "tooluse_0Xr3mPq9TZuX1wH7cVbN2A", content: "24°C, sunny" },
      ],
      tools: [weatherTool],
      tool_choice: "none",
    });
    expect(written.messages).toEqual([
      { role: "user", content: [{ text: "Weather in SF and Paris?" }] },
      {
        role: "assistant",
        content: [
          {
            toolUse: {
              toolUseId: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
              name: "get_weather",
              input: { location: "San Francisco, CA" },
            },
          },
          {
            toolUse: {
              toolUseId: "tooluse_0Xr3mPq9TZuX1wH7cVbN2A",
              name: "get_weather",
              input: { location: "Paris, France" },
            },
          },
        ],
      },
      {
        role: "user",
        content: [
          { toolResult: { toolUseId: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", content: [{ text: "18°C, fog" }] } },
          { toolResult: { toolUseId: "tooluse_0Xr3mPq9TZuX1wH7cVbN2A", content: [{ text: "24°C, sunny" }] } },
        ],
      },
    ]);
    expect(written.toolConfig).toEqual({ tools: [weatherSpec] });
    expect(warnings).toEqual(["tool_choice none has no Converse equivalent; tools stay offered"]);
  });

  it("carries Anthropic tool results with is_error, thinking budgets and thinking blocks sent back", () => {
    const warnings: string[] = [];
    const canonical = readAnthropicRequest(
      {
        model: modelId,
        max_tokens: 2048,
        thinking: { type: "enabled", budget_tokens: 1024 },
        top_k: 40,
        messages: [
          { role: "user", content: "Weather in Atlantis?" },
          {
            role: "assistant",
            content: [
              { type: "thinking", thinking: "I should call the tool.", signature: "EqoBCkgIAxAB" },
              { type: "redacted_thinking", data: "RXJ5dGhpbmc=" },
              { type: "tool_use", id: "toolu_01", name: "get_weather", input: { location: "Atlantis" } },
            ],
          },
          {
            role: "user",
            content: [
              { type: "tool_result", tool_use_id: "toolu_01", content: "unknown city", is_error: true },
            ],
          },
        ],
        tools: [{ name: "get_weather", input_schema: { type: "object" } }],
      },
      warnings,
    );
    const written = writeBedrockRequest(canonical, warnings);
    expect(written.additionalModelRequestFields).toEqual({
      thinking: { type: "enabled", budget_tokens: 1024 },
    });
    expect(written.inferenceConfig).toEqual({ maxTokens: 2048 });
    expect(written.messages).toEqual([
      { role: "user", content: [{ text: "Weather in Atlantis?" }] },
      {
        role: "assistant",
        content: [
          {
            reasoningContent: {
              reasoningText: { text: "I should call the tool.", signature: "EqoBCkgIAxAB" },
            },
          },
          { reasoningContent: { redactedContent: "RXJ5dGhpbmc=" } },
          { toolUse: { toolUseId: "toolu_01", name: "get_weather", input: { location: "Atlantis" } } },
        ],
      },
      {
        role: "user",
        content: [
          { toolResult: { toolUseId: "toolu_01", content: [{ text: "unknown city" }], status: "error" } },
        ],
      },
    ]);
    expect(warnings).toEqual(["top_k has no Converse field; dropped"]);
  });

  it("emulates a JSON schema by forcing a tool, and warns that json_object is only asked for in the prompt", () => {
    const schema = fromOpenAi({
      messages: [{ role: "user", content: "Give me a city." }],
      response_format: {
        type: "json_schema",
        json_schema: { name: "city", schema: { type: "object", properties: { name: { type: "string" } } } },
      },
    });
    expect(schema.written.toolConfig).toEqual({
      tools: [
        {
          toolSpec: {
            name: "city",
            description: "Respond with JSON matching this schema.",
            inputSchema: { json: { type: "object", properties: { name: { type: "string" } } } },
          },
        },
      ],
      toolChoice: { tool: { name: "city" } },
    });
    expect(schema.warnings).toEqual(["response_format json_schema emulated by forcing a tool call"]);
    const object = fromOpenAi({
      messages: [{ role: "user", content: "Give me a city as JSON." }],
      response_format: { type: "json_object" },
    });
    expect(object.written).not.toHaveProperty("toolConfig");
    expect(object.warnings).toEqual([
      "response_format json_object has no Converse equivalent; only the prompt asks for JSON",
    ]);
  });

  it("refuses n > 1 and warns about reasoning effort and strict schemas", () => {
    expect(() => fromOpenAi({ messages: [{ role: "user", content: "Hi" }], n: 2 })).toThrow(
      /n=2: Bedrock Converse returns one choice per request/,
    );
    const { warnings } = fromOpenAi({
      messages: [{ role: "user", content: "Hi" }],
      reasoning_effort: "high",
      tools: [{ ...weatherTool, function: { ...weatherTool.function, strict: true } }],
    });
    expect(warnings).toEqual([
      "reasoning_effort high has no Converse equivalent; dropped",
      "strict tool schemas are not enforced by Bedrock Converse",
    ]);
  });
});
