import { describe, expect, it } from "vitest";
import type { CanonicalChatRequest } from "../../core/canonical-chat.js";
import { anthropicCodec } from "../anthropic/anthropic-codec.js";
import { openAiChatCodec } from "../openai/openai-chat-codec.js";
import { splitGeminiEnvelope, writeGeminiRequest } from "./gemini-request.js";
import { geminiJsonFixture } from "./test-fixtures.js";

const baseRequest: CanonicalChatRequest = {
  model: "gemini-2.5-flash",
  system: [],
  messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
  stream: false,
  maxTokens: undefined,
  temperature: undefined,
  topP: undefined,
  topK: undefined,
  stopSequences: [],
  tools: [],
  toolChoice: undefined,
  parallelToolCalls: undefined,
  responseFormat: undefined,
  reasoning: undefined,
  user: undefined,
  choiceCount: undefined,
};

function write(overrides: Partial<CanonicalChatRequest>, warnings: string[] = []) {
  return splitGeminiEnvelope(writeGeminiRequest({ ...baseRequest, ...overrides }, warnings));
}

describe("writeGeminiRequest", () => {
  it("writes an OpenAI chat request (system, images, parallel tool calls and results, sampling) as the recorded body", () => {
    const warnings: string[] = [];
    const canonical = openAiChatCodec.readRequest(geminiJsonFixture("chat-request.openai.json"), warnings);
    const { model, stream, body } = splitGeminiEnvelope(writeGeminiRequest(canonical, warnings));
    expect(model).toBe("gemini-2.5-flash");
    expect(stream).toBe(true);
    expect(body).toEqual(geminiJsonFixture("generate-content-request.json"));
    expect(warnings).toEqual([]);
  });

  it("writes a plain text turn with only contents, and strips a models/ prefix from the model", () => {
    const { model, stream, body } = write({ model: "models/gemini-2.0-flash" });
    expect(model).toBe("gemini-2.0-flash");
    expect(stream).toBe(false);
    expect(body).toEqual({ contents: [{ role: "user", parts: [{ text: "Hi" }] }] });
  });

  it("keeps multi-turn history with Gemini's model role and merges consecutive turns of one role", () => {
    const { body } = write({
      messages: [
        { role: "user", content: [{ type: "text", text: "Hi" }] },
        { role: "user", content: [{ type: "text", text: "Anyone there?" }] },
        { role: "assistant", content: [{ type: "text", text: "Hello!" }] },
        { role: "user", content: [{ type: "text", text: "Tell me a joke" }] },
      ],
    });
    expect(body.contents).toEqual([
      { role: "user", parts: [{ text: "Hi" }, { text: "Anyone there?" }] },
      { role: "model", parts: [{ text: "Hello!" }] },
      { role: "user", parts: [{ text: "Tell me a joke" }] },
    ]);
  });

  it("asks for JSON with responseMimeType, and for a schema with responseJsonSchema", () => {
    expect(write({ responseFormat: { type: "json" } }).body.generationConfig).toEqual({
      responseMimeType: "application/json",
    });
    const warnings: string[] = [];
    const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"] };
    const { body } = write(
      { responseFormat: { type: "json-schema", name: "answer", schema, strict: true } },
      warnings,
    );
    expect(body.generationConfig).toEqual({
      responseMimeType: "application/json",
      responseJsonSchema: schema,
    });
    expect(warnings).toEqual(["response_format strict is not enforced by Gemini"]);
    expect(write({ responseFormat: { type: "text" } }).body.generationConfig).toBeUndefined();
  });

  it("maps every tool_choice to functionCallingConfig", () => {
    const config = (toolChoice: CanonicalChatRequest["toolChoice"]) =>
      write({ toolChoice }).body.toolConfig as Record<string, unknown> | undefined;
    expect(config(undefined)).toBeUndefined();
    expect(config({ type: "auto" })).toEqual({ functionCallingConfig: { mode: "AUTO" } });
    expect(config({ type: "none" })).toEqual({ functionCallingConfig: { mode: "NONE" } });
    expect(config({ type: "required" })).toEqual({ functionCallingConfig: { mode: "ANY" } });
    expect(config({ type: "tool", name: "get_weather" })).toEqual({
      functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["get_weather"] },
    });
  });

  it("sets topK and a thinking budget (Anthropic thinking) with thoughts included", () => {
    const warnings: string[] = [];
    const canonical = anthropicCodec.readRequest(
      {
        model: "gemini-2.5-pro",
        max_tokens: 2048,
        top_k: 40,
        thinking: { type: "enabled", budget_tokens: 1024 },
        messages: [{ role: "user", content: "2+2?" }],
      },
      warnings,
    );
    const { body } = splitGeminiEnvelope(writeGeminiRequest(canonical, warnings));
    expect(body.generationConfig).toEqual({
      maxOutputTokens: 2048,
      topK: 40,
      thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
    });
    expect(write({ reasoning: { budgetTokens: undefined, effort: "low" } }).body.generationConfig).toEqual({
      thinkingConfig: { thinkingLevel: "low", includeThoughts: true },
    });
    expect(write({ reasoning: { budgetTokens: undefined, effort: "none" } }).body.generationConfig).toEqual({
      thinkingConfig: { thinkingBudget: 0 },
    });
  });

  it("sends a thought signature back on the part that follows it and leaves reasoning text out", () => {
    const { body } = write({
      messages: [
        { role: "user", content: [{ type: "text", text: "Weather?" }] },
        {
          role: "assistant",
          content: [
            { type: "reasoning", text: "Let me look it up.", signature: undefined },
            { type: "reasoning", text: "", signature: "sig-abc" },
            { type: "tool-call", id: "call_r_0", name: "get_weather", arguments: '{"location":"Oslo"}' },
          ],
        },
        {
          role: "user",
          content: [
            {
              type: "tool-result",
              toolCallId: "call_r_0",
              content: [{ type: "text", text: "no such city" }],
              isError: true,
            },
          ],
        },
      ],
    });
    expect(body.contents).toEqual([
      { role: "user", parts: [{ text: "Weather?" }] },
      {
        role: "model",
        parts: [
          { functionCall: { name: "get_weather", args: { location: "Oslo" } }, thoughtSignature: "sig-abc" },
        ],
      },
      {
        role: "user",
        parts: [{ functionResponse: { name: "get_weather", response: { error: "no such city" } } }],
      },
    ]);
  });

  it("leaves out a turn left without parts (reasoning text only)", () => {
    const { body } = write({
      messages: [
        { role: "user", content: [{ type: "text", text: "Hi" }] },
        { role: "assistant", content: [{ type: "reasoning", text: "thinking…", signature: undefined }] },
        { role: "user", content: [{ type: "text", text: "Again" }] },
      ],
    });
    expect(body.contents).toEqual([
      { role: "user", parts: [{ text: "Hi" }] },
      { role: "user", parts: [{ text: "Again" }] },
    ]);
  });

  it("rejects a tool result whose call is not in the history: Gemini needs the function name", () => {
    expect(() =>
      write({
        messages: [
          {
            role: "user",
            content: [{ type: "tool-result", toolCallId: "call_missing", content: [], isError: false }],
          },
        ],
      }),
    ).toThrow(expect.objectContaining({ code: "GW_ERR_TRANSLATION_UNSUPPORTED" }));
  });

  it("sends http image URLs as fileData with a warning, and rejects URLs whose media type is unknown", () => {
    const warnings: string[] = [];
    const image = (url: string): CanonicalChatRequest["messages"] => [
      { role: "user", content: [{ type: "image", source: { kind: "url", url } }] },
    ];
    expect(write({ messages: image("https://example.com/cat.webp?size=2") }, warnings).body.contents).toEqual(
      [
        {
          role: "user",
          parts: [{ fileData: { mimeType: "image/webp", fileUri: "https://example.com/cat.webp?size=2" } }],
        },
      ],
    );
    expect(warnings).toEqual([
      "image URL sent as fileData; Gemini fetches only some public URLs (Files API or gs:// are safe)",
    ]);
    expect(() => write({ messages: image("https://example.com/render?id=7") })).toThrow(
      expect.objectContaining({ code: "GW_ERR_TRANSLATION_UNSUPPORTED" }),
    );
  });

  it("rejects n > 1 and warns about settings Gemini has no place for", () => {
    expect(() => write({ choiceCount: 2 })).toThrow(
      expect.objectContaining({
        code: "GW_ERR_TRANSLATION_UNSUPPORTED",
        message: expect.stringContaining("n=2"),
      }),
    );
    const warnings: string[] = [];
    write({ user: "user-42", parallelToolCalls: false }, warnings);
    expect(warnings).toEqual([
      "parallel_tool_calls=false has no Gemini equivalent; dropped",
      "user has no Gemini equivalent; dropped",
    ]);
  });
});
