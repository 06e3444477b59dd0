import { describe, expect, it } from "vitest";
import type { TraceContentConfig } from "../core/gateway-config.js";
import type { GatewayContext } from "./gateway-context.js";
import { recordsContent, traceContentAttributes } from "./trace-content.js";

const config: TraceContentConfig = { enabled: true, maxChars: 2000, models: undefined, teams: undefined };

interface ContextShape {
  readonly action?: string;
  readonly dryRun?: boolean;
  readonly team?: string | null;
  readonly messages?: unknown[];
  readonly canaryLine?: string;
}

function contextWith(shape: ContextShape = {}): GatewayContext {
  return {
    operation: "chat.completions",
    modelRequested: "gpt-4o",
    route: { groupName: "smart" },
    caller: { kind: "virtual-key", key: { id: "k1", metadata: { team: shape.team ?? "alpha" } } },
    policy: {
      canaryLine: shape.canaryLine,
      byStage: {
        input: shape.action === undefined ? [] : [{ action: shape.action, dryRun: shape.dryRun ?? false }],
      },
    },
    body: { model: "gpt-4o", messages: shape.messages ?? [{ role: "user", content: "hi" }] },
  } as unknown as GatewayContext;
}

describe("recordsContent", () => {
  it("needs an input policy that redacts or masks for real", () => {
    expect(recordsContent(config, contextWith({ action: "redact" }))).toBe(true);
    expect(recordsContent(config, contextWith({ action: "mask" }))).toBe(true);
    expect(recordsContent(config, contextWith({ action: "flag" }))).toBe(false);
    expect(recordsContent(config, contextWith({ action: "redact", dryRun: true }))).toBe(false);
    expect(recordsContent(config, contextWith())).toBe(false);
  });

  it("keeps to the configured model groups and teams", () => {
    const redacting = contextWith({ action: "redact" });
    expect(recordsContent({ ...config, models: ["smart"] }, redacting)).toBe(true);
    expect(recordsContent({ ...config, models: ["gpt-4o"] }, redacting)).toBe(true);
    expect(recordsContent({ ...config, models: ["cheap"] }, redacting)).toBe(false);
    expect(recordsContent({ ...config, teams: ["alpha"] }, redacting)).toBe(true);
    expect(recordsContent({ ...config, teams: ["beta"] }, redacting)).toBe(false);
    expect(
      recordsContent({ ...config, teams: ["beta"] }, contextWith({ action: "redact", team: null })),
    ).toBe(false);
  });
});

describe("traceContentAttributes", () => {
  it("writes GenAI messages as JSON: text, tool calls and tool results in, choices out; no canary", () => {
    const context = contextWith({
      action: "redact",
      canaryLine: "canary-123",
      messages: [
        { role: "system", content: "canary-123" },
        { role: "system", content: "Be brief." },
        {
          role: "user",
          content: [
            { type: "text", text: "Weather?" },
            { type: "image_url", image_url: {} },
          ],
        },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "c1", type: "function", function: { name: "weather", arguments: '{"city":"Oslo"}' } },
          ],
        },
        { role: "tool", tool_call_id: "c1", content: "sunny" },
      ],
    });
    const attributes = traceContentAttributes(config, context, [
      { index: 0, message: { role: "assistant", content: "Sunny." }, finish_reason: "stop" },
    ]);
    expect(JSON.parse(attributes["gen_ai.input.messages"] as string)).toEqual([
      { role: "system", parts: [{ type: "text", content: "Be brief." }] },
      { role: "user", parts: [{ type: "text", content: "Weather?" }] },
      {
        role: "assistant",
        parts: [{ type: "tool_call", id: "c1", name: "weather", arguments: '{"city":"Oslo"}' }],
      },
      { role: "tool", parts: [{ type: "tool_call_response", id: "c1", response: "sunny" }] },
    ]);
    expect(JSON.parse(attributes["gen_ai.output.messages"] as string)).toEqual([
      { role: "assistant", parts: [{ type: "text", content: "Sunny." }], finish_reason: "stop" },
    ]);
    expect(attributes["switchyard.content.truncated"]).toBeUndefined();
  });

  it("keeps at most maxChars characters of text per attribute and says it cut", () => {
    const context = contextWith({
      action: "redact",
      messages: [
        { role: "user", content: "abcdef" },
        { role: "user", content: "ghijkl" },
        { role: "user", content: "mnopqr" },
      ],
    });
    const attributes = traceContentAttributes({ ...config, maxChars: 8 }, context, undefined);
    expect(JSON.parse(attributes["gen_ai.input.messages"] as string)).toEqual([
      { role: "user", parts: [{ type: "text", content: "abcdef" }] },
      { role: "user", parts: [{ type: "text", content: "gh" }] },
    ]);
    expect(attributes["gen_ai.output.messages"]).toBeUndefined();
    expect(attributes["switchyard.content.truncated"]).toBe(true);
  });
});
