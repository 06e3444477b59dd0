import { describe, expect, it } from "vitest";
import { GatewayError } from "../../core/gateway-error.js";
import { readOpenAiChatRequest, writeOpenAiChatRequest } from "../openai/openai-chat-request.js";
import { readAnthropicRequest, writeAnthropicRequest } from "./anthropic-request.js";
import { jsonFixture } from "./test-fixtures.js";

describe("Anthropic Messages request → OpenAI Chat request", () => {
  it("carries system, images (base64 and URL), tool calls, tool results, sampling and stop settings", () => {
    const warnings: string[] = [];
    const canonical = readAnthropicRequest(jsonFixture("anthropic", "messages-request.json"), warnings);
    const body = writeOpenAiChatRequest({ ...canonical, model: "gpt-4o-2024-08-06" }, warnings);
    expect(body).toEqual({
      model: "gpt-4o-2024-08-06",
      messages: [
        { role: "system", content: "You are a weather assistant." },
        {
          role: "user",
          content: [
            { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ==" } },
            {
              type: "image_url",
              image_url: {
                url: "https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg",
              },
            },
            {
              type: "text",
              text: "What's the weather where these photos were taken, San Francisco and Paris?",
            },
          ],
        },
        {
          role: "assistant",
          content: "I'll check both cities.",
          tool_calls: [
            {
              id: "toolu_01A09q90qw90lq917835lq9",
              type: "function",
              function: {
                name: "get_weather",
                arguments: '{"location":"San Francisco, CA","unit":"celsius"}',
              },
            },
            {
              id: "toolu_01B19r01rx01mr028946mr0",
              type: "function",
              function: { name: "get_weather", arguments: '{"location":"Paris, France","unit":"celsius"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: "toolu_01A09q90qw90lq917835lq9", content: "15 degrees, fog" },
        { role: "tool", tool_call_id: "toolu_01B19r01rx01mr028946mr0", content: "error: station offline" },
        { role: "user", content: "Summarise please." },
      ],
      max_completion_tokens: 1024,
      temperature: 0.3,
      top_p: 0.9,
      stop: ["\n\nHuman:"],
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            description: "Get the current weather in a given location",
            parameters: {
              type: "object",
              properties: {
                location: { type: "string", description: "The city and state, e.g. San Francisco, CA" },
                unit: { type: "string", enum: ["celsius", "fahrenheit"] },
              },
              required: ["location"],
            },
          },
        },
      ],
      tool_choice: "auto",
      user: "user-1234",
    });
    expect(warnings).toEqual([
      "earlier thinking blocks are not sent to an OpenAI-dialect upstream",
      "tool_result is_error has no OpenAI equivalent; sent as a plain tool result",
      "thinking budget_tokens has no OpenAI Chat equivalent; dropped",
    ]);
  });

  it("asks an OpenAI upstream for usage when streaming and maps tool_choice any and no parallel calls", () => {
    const warnings: string[] = [];
    const canonical = readAnthropicRequest(
      {
        model: "m",
        max_tokens: 10,
        stream: true,
        messages: [{ role: "user", content: "hi" }],
        tools: [{ name: "lookup", input_schema: { type: "object" } }],
        tool_choice: { type: "any", disable_parallel_tool_use: true },
        top_k: 5,
      },
      warnings,
    );
    const body = writeOpenAiChatRequest(canonical, warnings);
    expect(body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
      tool_choice: "required",
      parallel_tool_calls: false,
    });
    expect(warnings).toEqual(["top_k has no OpenAI equivalent; dropped"]);
  });
});

describe("OpenAI Chat request → Anthropic Messages request", () => {
  it("merges system and developer prompts, groups tool results into one user turn, maps tool choice", () => {
    const warnings: string[] = [];
    const canonical = readOpenAiChatRequest(jsonFixture("openai", "chat-request.json"), warnings);
    const body = writeAnthropicRequest({ ...canonical, model: "claude-sonnet-4-5" }, warnings);
    expect(body).toEqual({
      model: "claude-sonnet-4-5",
      system: "You are a weather assistant.\n\nAnswer in one sentence.",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What's the weather in these cities?" },
            {
              type: "image",
              source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgoAAAANSUhEUg==" },
            },
            { type: "image", source: { type: "url", url: "https://example.com/paris.jpg" } },
          ],
        },
        {
          role: "assistant",
          content: [
            {
              type: "tool_use",
              id: "call_Dn2RJJSxzDm49vlVTehseJ0k",
              name: "get_weather",
              input: { location: "San Francisco, CA" },
            },
            {
              type: "tool_use",
              id: "call_Kz8pQw3vNbX1mYt7LcR2sHfA",
              name: "get_weather",
              input: { location: "Paris, France" },
            },
          ],
        },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "call_Dn2RJJSxzDm49vlVTehseJ0k",
              content: [{ type: "text", text: "15 degrees, fog" }],
            },
            {
              type: "tool_result",
              tool_use_id: "call_Kz8pQw3vNbX1mYt7LcR2sHfA",
              content: [{ type: "text", text: "22 degrees, sunny" }],
            },
          ],
        },
      ],
      max_tokens: 300,
      stream: true,
      temperature: 1,
      top_p: 0.8,
      stop_sequences: ["END"],
      metadata: { user_id: "user-1234" },
      tools: [
        {
          name: "get_weather",
          description: "Get the current weather in a given location",
          input_schema: {
            type: "object",
            properties: { location: { type: "string" } },
            required: ["location"],
            additionalProperties: false,
          },
        },
      ],
      tool_choice: { type: "tool", name: "get_weather", disable_parallel_tool_use: true },
    });
    expect(warnings).toEqual([
      "logprobs is not translated; dropped",
      "temperature 1.5 clamped to 1 (Anthropic's maximum)",
      "strict tool schemas are not enforced by Anthropic",
    ]);
  });

  it("fills in max_tokens with a warning and emulates json_schema output with a forced tool", () => {
    const warnings: string[] = [];
    const canonical = readOpenAiChatRequest(
      {
        model: "m",
        messages: [{ role: "user", content: "Give me a city" }],
        response_format: {
          type: "json_schema",
          json_schema: { name: "city", schema: { type: "object", properties: { name: { type: "string" } } } },
        },
      },
      warnings,
    );
    const body = writeAnthropicRequest(canonical, warnings);
    expect(body.max_tokens).toBe(4096);
    expect(body.tools).toEqual([
      {
        name: "city",
        description: "Respond with JSON matching this schema.",
        input_schema: { type: "object", properties: { name: { type: "string" } } },
      },
    ]);
    expect(body.tool_choice).toEqual({ type: "tool", name: "city" });
    expect(warnings).toEqual([
      "max_tokens not given; sent 4096 (Anthropic requires it)",
      "response_format json_schema emulated by forcing a tool call",
    ]);
  });

  it("refuses what Anthropic cannot do with GW_ERR_TRANSLATION_UNSUPPORTED", () => {
    const canonical = readOpenAiChatRequest(
      { model: "m", n: 3, messages: [{ role: "user", content: "x" }] },
      [],
    );
    expect(() => writeAnthropicRequest(canonical, [])).toThrow(
      expect.objectContaining({
        code: "GW_ERR_TRANSLATION_UNSUPPORTED",
        message: expect.stringContaining("n=3"),
      }),
    );
    expect(() =>
      readOpenAiChatRequest(
        { model: "m", messages: [{ role: "user", content: [{ type: "input_audio", input_audio: {} }] }] },
        [],
      ),
    ).toThrow(GatewayError);
  });
});
