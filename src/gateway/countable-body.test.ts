import { describe, expect, it } from "vitest";
import { countRequestTokens } from "./cost/count-request-tokens.js";
import { countableBody } from "./countable-body.js";
import { estimateRequestTokens } from "./limits/estimate-request-tokens.js";
import { RequestFeatures } from "./routing/request-features.js";

const countWords = (text: string) => text.split(/\s+/).filter((word) => word !== "").length;

const responsesBody = {
  model: "r",
  instructions: "Answer in one short sentence.",
  input: [
    {
      role: "user",
      content: [
        { type: "input_text", text: "What is in this picture?" },
        { type: "input_image", image_url: "https://example.com/a.png" },
      ],
    },
    { type: "function_call", call_id: "c1", name: "lookup", arguments: '{"q": "cat"}' },
    { type: "function_call_output", call_id: "c1", output: "a small cat" },
  ],
  tools: [{ type: "function", name: "lookup", parameters: { type: "object" } }],
  max_output_tokens: 300,
  text: { format: { type: "json_object" } },
};

describe("countableBody", () => {
  it("leaves other operations' bodies as they are", () => {
    const body = { model: "m", messages: [] };
    expect(countableBody("chat.completions", body)).toBe(body);
  });

  it("views a Responses body as its chat equivalent for the estimators", () => {
    const view = countableBody("responses", responsesBody);
    expect(view).toEqual({
      model: "r",
      messages: [
        { role: "system", content: "Answer in one short sentence." },
        {
          role: "user",
          content: [{ type: "input_text", text: "What is in this picture?" }, { type: "image_url" }],
        },
        { role: "assistant", content: null, tool_calls: [{ name: "lookup", arguments: '{"q": "cat"}' }] },
        { role: "tool", content: "a small cat" },
      ],
      tools: responsesBody.tools,
      max_tokens: 300,
      response_format: { type: "json_object" },
    });
    const features = new RequestFeatures(view);
    expect([features.tools, features.images, features.jsonMode]).toEqual([true, true, true]);
    const estimate = estimateRequestTokens("responses", view, 1000, countWords);
    expect(estimate.outputTokens).toBe(300);
    expect(estimate.inputTokens).toBeGreaterThan(85 + 10);
    expect(countRequestTokens(countWords, "responses", view)).toBeGreaterThan(10);
  });

  it("counts a string input as one user message", () => {
    expect(countableBody("responses", { model: "r", input: "Hello there" })).toEqual({
      model: "r",
      messages: [{ role: "user", content: "Hello there" }],
    });
  });
});
