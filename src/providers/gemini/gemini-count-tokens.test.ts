import { describe, expect, it } from "vitest";
import { anthropicCodec } from "../anthropic/anthropic-codec.js";
import { readGeminiCountTokensResponse, writeGeminiCountTokensRequest } from "./gemini-count-tokens.js";
import { geminiJsonFixture } from "./test-fixtures.js";

describe("Gemini countTokens translation", () => {
  it("counts an Anthropic count_tokens request as a whole generateContentRequest", () => {
    const warnings: string[] = [];
    const canonical = anthropicCodec.readRequest(
      {
        model: "gemini-2.5-flash",
        system: "Be brief.",
        messages: [{ role: "user", content: "Hello" }],
        tools: [{ name: "get_weather", input_schema: { type: "object" } }],
      },
      warnings,
    );
    expect(writeGeminiCountTokensRequest(canonical, warnings)).toEqual({
      model: "gemini-2.5-flash",
      body: {
        generateContentRequest: {
          model: "models/gemini-2.5-flash",
          contents: [{ role: "user", parts: [{ text: "Hello" }] }],
          systemInstruction: { parts: [{ text: "Be brief." }] },
          tools: [
            { functionDeclarations: [{ name: "get_weather", parametersJsonSchema: { type: "object" } }] },
          ],
        },
      },
    });
    expect(warnings).toEqual([]);
  });

  it("reads totalTokens as input_tokens, and nothing from a body without it", () => {
    expect(readGeminiCountTokensResponse(geminiJsonFixture("count-tokens-response.json"))).toEqual({
      input_tokens: 31,
    });
    expect(readGeminiCountTokensResponse({})).toBeUndefined();
  });
});
