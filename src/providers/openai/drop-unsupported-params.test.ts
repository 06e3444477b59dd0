import { describe, expect, it } from "vitest";
import { dropUnsupportedParams } from "./drop-unsupported-params.js";

const groqRejects = ["logprobs", "logit_bias", "top_logprobs"];

describe("dropUnsupportedParams", () => {
  it("removes the top-level fields the server rejects and names them", () => {
    const body = JSON.stringify({
      model: "llama-3.3-70b-versatile",
      messages: [{ role: "user", content: "hi" }],
      logprobs: true,
      top_logprobs: 2,
      temperature: 0.2,
    });
    expect(dropUnsupportedParams(body, groqRejects)).toEqual({
      body: JSON.stringify({
        model: "llama-3.3-70b-versatile",
        messages: [{ role: "user", content: "hi" }],
        temperature: 0.2,
      }),
      dropped: ["logprobs", "top_logprobs"],
    });
  });

  it("leaves the bytes untouched when no such field is set, even if the text mentions one", () => {
    const body = JSON.stringify({ model: "m", messages: [{ role: "user", content: 'what is "logprobs"?' }] });
    expect(dropUnsupportedParams(body, groqRejects)).toEqual({ body, dropped: [] });
    const plain = '{"model":"m","messages":[]}';
    expect(dropUnsupportedParams(plain, groqRejects).body).toBe(plain);
  });
});
