import { describe, expect, it } from "vitest";
import { recordingVisitor } from "../../../test/support/recording-text-visitor.js";
import { collectTexts } from "./chat-surface.js";
import { openAiChatSurface } from "./openai-chat-surface.js";

const body = {
  model: "m",
  messages: [
    { role: "system", content: "be kind" },
    {
      role: "user",
      content: [
        { type: "text", text: "look" },
        { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
      ],
    },
    {
      role: "assistant",
      content: null,
      tool_calls: [{ id: "c1", type: "function", function: { name: "lookup", arguments: '{"who":"ada"}' } }],
    },
    { role: "tool", tool_call_id: "c1", content: "found" },
  ],
};

describe("openAiChatSurface", () => {
  it("visits message text with its stage and path; tool messages are indirect, arguments string by string", () => {
    const { visitor, visited } = recordingVisitor();
    const rewritten = openAiChatSurface.rewriteTexts(body, visitor);
    expect(visited).toEqual([
      { kind: "text", text: "be kind", stage: "input", param: "messages.0.content" },
      { kind: "text", text: "look", stage: "input", param: "messages.1.content.0.text" },
      { kind: "value", text: "ada", stage: "input", param: "messages.2.tool_calls.0.function.arguments" },
      { kind: "text", text: "found", stage: "indirect", param: "messages.3.content" },
    ]);
    const messages = rewritten.messages as Record<string, unknown>[];
    expect(messages[1]?.content).toEqual([
      { type: "text", text: "<look>" },
      { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
    ]);
    expect(messages[2]?.tool_calls).toEqual([
      { id: "c1", type: "function", function: { name: "lookup", arguments: '{"who":"<ada>"}' } },
    ]);
    expect(body.messages[0]?.content).toBe("be kind");
  });

  it("collects the prose texts for moderation, not tool arguments", () => {
    expect(collectTexts(openAiChatSurface, body)).toEqual(["be kind", "look", "found"]);
  });

  it("puts the canary in a system message of its own in front", () => {
    const withCanary = openAiChatSurface.addCanary(body, "marker line");
    expect((withCanary.messages as unknown[])[0]).toEqual({ role: "system", content: "marker line" });
    expect(withCanary.messages).toHaveLength(5);
  });
});
