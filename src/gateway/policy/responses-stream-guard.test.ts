import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { anyone, testPolicy, testSafety } from "../../../test/support/safety-test-policies.js";
import {
  type ResponsesAnswerParts,
  responseEvents,
} from "../../../test/support/scripted-responses-answers.js";
import type { ToolPolicyConfig } from "../../core/gateway-config.js";
import { GatewayError } from "../../core/gateway-error.js";
import { RequestPolicy } from "./request-policy.js";
import { ResponsesStreamGuard } from "./responses-stream-guard.js";

type StreamEvent = Record<string, unknown>;

const email = "ada@example.com";
const placeholder = "⟦EMAIL_ADDRESS_1⟧";

function maskedPolicy(options: { output?: boolean; tools?: ToolPolicyConfig[] } = {}): RequestPolicy {
  const policies = [testPolicy({ action: "mask" })];
  if (options.output === true) {
    policies.push(
      testPolicy({ name: "no-keys", action: "block", stages: ["output"], detectors: ["secrets"] }),
    );
  }
  const policy = testSafety({ policies, tools: options.tools ?? [] }).forRequest({ kind: "master" }, "m", {});
  if (policy === undefined) throw new Error("expected policies in scope");
  expect(policy.applyToText(`write to ${email}`, "input", "")).toBe(`write to ${placeholder}`);
  return policy;
}

function fixtureEvents(name: string): StreamEvent[] {
  const raw = readFileSync(
    new URL(`../../providers/openai-responses/__fixtures__/${name}`, import.meta.url),
    "utf8",
  );
  return raw
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice("data: ".length)) as StreamEvent);
}

function feed(guard: ResponsesStreamGuard, events: readonly StreamEvent[]): StreamEvent[] {
  return events.flatMap((event) =>
    event.type === "response.completed" ? [...guard.end(), ...guard.chunk(event)] : guard.chunk(event),
  );
}

/** What a client assembles from the deltas: text per output/content index, arguments per output index. */
function deltas(events: readonly StreamEvent[], type: string): string {
  return events
    .filter((event) => event.type === type)
    .map((event) => event.delta)
    .join("");
}

const completedOf = (events: readonly StreamEvent[]) =>
  events.find((event) => event.type === "response.completed")?.response as {
    instructions: string | null;
    output: { type: string; content?: { text: string }[]; arguments?: string }[];
  };

const tools = {
  tools: [{ type: "function", name: "send", parameters: { type: "object", required: ["to"] } }],
};

describe("ResponsesStreamGuard", () => {
  it("passes the recorded text and function-call streams through unchanged when nothing is masked in them", () => {
    for (const name of ["response-text.chunks.txt", "response-function-call.chunks.txt"]) {
      const events = fixtureEvents(name);
      const guard = new ResponsesStreamGuard(maskedPolicy(), {});
      expect(feed(guard, events)).toEqual(events);
    }
  });

  const text = `Writing to ${placeholder} now.`;
  it.each(Array.from({ length: text.length + 1 }, (_, offset) => offset))(
    "restores a placeholder in output_text deltas split at offset %i, and in every event that repeats the text",
    (offset) => {
      const events = responseEvents({ text: "" }).flatMap((event) =>
        event.type === "response.output_text.delta"
          ? []
          : event.type === "response.content_part.added"
            ? [
                event,
                { ...event, type: "response.output_text.delta", delta: text.slice(0, offset), logprobs: [] },
                { ...event, type: "response.output_text.delta", delta: text.slice(offset), logprobs: [] },
              ]
            : [event],
      );
      const restored = `Writing to ${email} now.`;
      const sent = feed(new ResponsesStreamGuard(maskedPolicy(), {}), withText(events, text));
      expect(deltas(sent, "response.output_text.delta")).toBe(restored);
      expect(sent.find((event) => event.type === "response.output_text.done")?.text).toBe(restored);
      expect(JSON.stringify(sent)).not.toContain("⟦");
      expect(completedOf(sent).output[0]?.content?.[0]?.text).toBe(restored);
      expect(sent.map((event) => event.sequence_number)).toEqual(sent.map((_, index) => index));
    },
  );

  const argumentsText = JSON.stringify({ to: placeholder, body: "Hi" });
  it.each(Array.from({ length: argumentsText.length + 1 }, (_, offset) => offset))(
    "restores a placeholder in function_call_arguments deltas split at offset %i",
    (offset) => {
      const parts: ResponsesAnswerParts = { text: "ok", tool: { name: "send", arguments: argumentsText } };
      const events = responseEvents(parts).flatMap((event) =>
        event.type !== "response.function_call_arguments.delta"
          ? [event]
          : event.delta === argumentsText.slice(0, 4)
            ? [
                { ...event, delta: argumentsText.slice(0, offset) },
                { ...event, delta: argumentsText.slice(offset) },
              ]
            : [],
      );
      const sent = feed(new ResponsesStreamGuard(maskedPolicy(), {}), events);
      const restored = JSON.stringify({ to: email, body: "Hi" });
      expect(deltas(sent, "response.function_call_arguments.delta")).toBe(restored);
      expect(sent.find((event) => event.type === "response.function_call_arguments.done")?.arguments).toBe(
        restored,
      );
      expect(completedOf(sent).output[1]?.arguments).toBe(restored);
    },
  );

  it("holds arguments to validate them against the flat function tool schema at .done", () => {
    const rules = [{ scope: anyone, allow: ["send"], validateArguments: true }];
    const good = { text: "ok", tool: { name: "send", arguments: argumentsText } };
    const sent = feed(new ResponsesStreamGuard(maskedPolicy({ tools: rules }), tools), responseEvents(good));
    const argumentDeltas = sent.filter((event) => event.type === "response.function_call_arguments.delta");
    expect(argumentDeltas).toHaveLength(1);
    expect(argumentDeltas[0]?.delta).toBe(JSON.stringify({ to: email, body: "Hi" }));

    const bad = { text: "ok", tool: { name: "send", arguments: '{"body":"x"}' } };
    const guard = new ResponsesStreamGuard(maskedPolicy({ tools: rules }), tools);
    expect(() => feed(guard, responseEvents(bad))).toThrowError(/required property 'to'/);
  });

  it("refuses a function outside the allowlist at its output_item.added", () => {
    const rules = [{ scope: anyone, allow: ["send"], validateArguments: false }];
    const guard = new ResponsesStreamGuard(maskedPolicy({ tools: rules }), tools);
    const events = responseEvents({ text: "ok", tool: { name: "delete_account", arguments: "{}" } });
    const added = events.findIndex(
      (event) => event.type === "response.output_item.added" && event.output_index === 1,
    );
    for (const event of events.slice(0, added)) guard.chunk(event);
    const failure = (() => {
      try {
        guard.chunk(events[added] ?? {});
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(GatewayError);
    expect((failure as GatewayError).code).toBe("GW_ERR_POLICY_TOOL_NOT_ALLOWED");
  });

  it("blocks output text before any of the blocked value is released", () => {
    const secret = "sk-ABCDEFGH12345678";
    const guard = new ResponsesStreamGuard(maskedPolicy({ output: true }), {});
    const released: StreamEvent[] = [];
    let failure: unknown;
    for (const event of responseEvents({ text: `Here is the key: ${secret}, keep it safe.` })) {
      try {
        released.push(...guard.chunk(event));
      } catch (error) {
        failure = error;
        break;
      }
    }
    expect((failure as GatewayError).code).toBe("GW_ERR_POLICY_OUTPUT_BLOCKED");
    expect(deltas(released, "response.output_text.delta")).not.toContain("sk-ABC");
  });

  it("releases held text at end() when the upstream never sent the .done events", () => {
    const events = responseEvents({ text: `to ${placeholder}` }).filter(
      (event) => !String(event.type).endsWith(".done") && event.type !== "response.completed",
    );
    const guard = new ResponsesStreamGuard(maskedPolicy({ output: true }), {});
    const sent = [...events.flatMap((event) => guard.chunk(event)), ...guard.end()];
    expect(deltas(sent, "response.output_text.delta")).toBe(`to ${email}`);
  });

  it("gives the instructions echo back without the canary and with the caller's values", () => {
    const masked = maskedPolicy();
    const policy = new RequestPolicy({
      byStage: masked.byStage,
      toolRules: [],
      detectors: new Map(),
      canaryLine: "canary-line-7f3a",
    });
    policy.vault.mask("EMAIL_ADDRESS", email);
    const parts = { text: "ok", instructions: `canary-line-7f3a\n\nMail ${placeholder}.` };
    const sent = feed(new ResponsesStreamGuard(policy, {}), responseEvents(parts));
    expect(JSON.stringify(sent)).not.toContain("canary-line");
    expect(completedOf(sent).instructions).toBe(`Mail ${email}.`);
    const created = sent[0]?.response as { instructions: string | null };
    expect(created.instructions).toBe(`Mail ${email}.`);
  });
});

/** The scripted events with `text` as the message's full text in the events that repeat it. */
function withText(events: readonly StreamEvent[], text: string): StreamEvent[] {
  const completed = responseEvents({ text }).find((event) => event.type === "response.completed");
  return events.map((event) => {
    if (event.type === "response.output_text.done") return { ...event, text };
    if (event.type === "response.content_part.done")
      return { ...event, part: { ...(event.part as object), text } };
    if (event.type === "response.output_item.done") {
      const item = event.item as Record<string, unknown>;
      return {
        ...event,
        item: { ...item, content: [{ type: "output_text", annotations: [], logprobs: [], text }] },
      };
    }
    if (event.type === "response.completed") return { ...event, response: completed?.response };
    return event;
  });
}
