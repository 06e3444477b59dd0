import { describe, expect, it } from "vitest";
import {
  anyone,
  regexDetector,
  testDetectors,
  testPolicy,
  testSafety,
} from "../../../test/support/safety-test-policies.js";
import { virtualKeyRecord } from "../../../test/support/virtual-key-record.js";
import { GatewayError } from "../../core/gateway-error.js";
import { TenancyDirectory } from "../../core/key-attribution.js";
import type { VirtualKeyRecord } from "../../core/ports/key-store.js";
import type { UpstreamOperation } from "../../core/ports/provider-adapter.js";
import type { Caller, GatewayContext, GatewayResponse } from "../gateway-context.js";
import { SafetyPolicies } from "../policy/safety-policies.js";
import { applyInputPoliciesStep, type PolicyActionEvent } from "./apply-input-policies-step.js";

const ok: GatewayResponse = { kind: "body", status: 200, headers: {}, body: "" };

const key: VirtualKeyRecord = virtualKeyRecord({
  id: "key_1",
  name: "billing-bot",
  metadata: { team: "payments" },
});

interface RunOptions {
  readonly operation?: UpstreamOperation;
  readonly caller?: Caller;
  readonly headers?: Record<string, string>;
}

async function run(safety: SafetyPolicies, body: Record<string, unknown>, options: RunOptions = {}) {
  const context = {
    requestId: "req-1",
    operation: options.operation ?? "chat.completions",
    headers: options.headers ?? {},
    body,
    caller: options.caller ?? { kind: "master" },
    modelRequested: "gpt-4o",
    policy: undefined,
  } as unknown as GatewayContext;
  const events: PolicyActionEvent[] = [];
  let reachedNext = false;
  const step = applyInputPoliciesStep(
    () => safety,
    (event) => events.push(event),
  );
  // Steps may throw synchronously, as the pipeline allows.
  const error = await Promise.resolve()
    .then(() =>
      step(context, async () => {
        reachedNext = true;
        return ok;
      }),
    )
    .then(
      () => undefined,
      (failure: unknown) => failure,
    );
  return { context, events, reachedNext, error };
}

const chat = (...contents: unknown[]) => ({
  model: "gpt-4o",
  messages: contents.map((content) => ({ role: "user", content })),
});

describe("applyInputPoliciesStep", () => {
  it("leaves the context and body untouched when no policy is configured or in scope", async () => {
    const body = chat("mail ada@example.com");
    const none = await run(testSafety({}), body);
    expect(none.context.body).toBe(body);
    expect(none.context.policy).toBeUndefined();
    const outOfScope = await run(
      testSafety({ policies: [testPolicy({ action: "mask", scope: { ...anyone, models: ["other"] } })] }),
      body,
    );
    expect(outOfScope.context.body).toBe(body);
    expect(outOfScope.context.policy).toBeUndefined();
    expect(outOfScope.reachedNext).toBe(true);
  });

  it("masks string content and content-part text with placeholders stable across messages", async () => {
    const body = chat("to ada@example.com", [
      { type: "text", text: "cc bob@example.org and ada@example.com" },
      { type: "image_url", image_url: { url: "https://x/ada@example.com.png" } },
    ]);
    const { context, events } = await run(testSafety({ policies: [testPolicy({ action: "mask" })] }), body);
    expect(context.body.messages).toEqual([
      { role: "user", content: "to ⟦EMAIL_ADDRESS_1⟧" },
      {
        role: "user",
        content: [
          { type: "text", text: "cc ⟦EMAIL_ADDRESS_2⟧ and ⟦EMAIL_ADDRESS_1⟧" },
          { type: "image_url", image_url: { url: "https://x/ada@example.com.png" } },
        ],
      },
    ]);
    expect(body.messages[0]).toEqual({ role: "user", content: "to ada@example.com" });
    expect(context.policy?.vault.original("⟦EMAIL_ADDRESS_2⟧")).toBe("bob@example.org");
    expect(events.map((event) => [event.requestId, event.action, event.count])).toEqual([
      ["req-1", "mask", 1],
      ["req-1", "mask", 2],
    ]);
  });

  it("masks the string values inside earlier tool-call arguments, keeping them valid JSON", async () => {
    const body = {
      model: "gpt-4o",
      messages: [
        { role: "user", content: "mail ada@example.com" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "c1",
              type: "function",
              function: { name: "send", arguments: '{"to":["ada@example.com"],"n":2,"note":"say \\"hi\\""}' },
            },
          ],
        },
      ],
    };
    const { context } = await run(testSafety({ policies: [testPolicy({ action: "mask" })] }), body);
    const messages = context.body.messages as {
      content: unknown;
      tool_calls?: { function: { arguments: string } }[];
    }[];
    expect(messages[0]?.content).toBe("mail ⟦EMAIL_ADDRESS_1⟧");
    expect(messages[1]?.content).toBeNull();
    expect(JSON.parse(messages[1]?.tool_calls?.[0]?.function.arguments ?? "")).toEqual({
      to: ["⟦EMAIL_ADDRESS_1⟧"],
      n: 2,
      note: 'say "hi"',
    });
  });

  it("redacts, and lets redact win where it overlaps a mask", async () => {
    const safety = testSafety({
      policies: [testPolicy({ name: "m", action: "mask" }), testPolicy({ name: "r", action: "redact" })],
    });
    const { context } = await run(safety, chat("write ada@example.com"));
    expect(context.body.messages).toEqual([{ role: "user", content: "write [REDACTED:EMAIL_ADDRESS]" }]);
    expect(context.policy?.vault.size).toBe(0);
  });

  it("blocks with the policy and type named, not the value, and never calls next", async () => {
    const safety = testSafety({
      policies: [testPolicy({ name: "no-keys", action: "block", detectors: ["secrets"] })],
    });
    const { error, reachedNext, context } = await run(safety, chat("fine", "key sk-abcdef123"));
    expect(reachedNext).toBe(false);
    expect(error).toBeInstanceOf(GatewayError);
    const failure = error as GatewayError;
    expect([failure.code, failure.status, failure.param]).toEqual([
      "GW_ERR_POLICY_BLOCKED",
      400,
      "messages.1.content",
    ]);
    expect(failure.message).toBe(
      "Blocked by safety policy 'no-keys': secrets detection API_KEY in messages.1.content.",
    );
    expect(context.policy?.summary).toBe("secrets.block:1");
  });

  it("applies indirect policies only to tool results, and records flag, log and dry runs without changes", async () => {
    const safety = testSafety({
      policies: [
        testPolicy({ name: "flag-indirect", action: "flag", stages: ["indirect"] }),
        testPolicy({ name: "log-input", action: "log" }),
        testPolicy({
          name: "dry",
          action: "block",
          detectors: ["secrets"],
          stages: ["indirect"],
          dryRun: true,
        }),
      ],
    });
    const body = {
      model: "gpt-4o",
      messages: [
        { role: "user", content: "a@example.com" },
        { role: "tool", tool_call_id: "c", content: "b@example.com sk-abcdef123" },
      ],
    };
    const { context, reachedNext } = await run(safety, body);
    expect(reachedNext).toBe(true);
    expect(context.body.messages).toEqual(body.messages);
    expect(context.policy?.summary).toBe("pii.log:1,pii.flag:1,secrets.would-block:1");
    expect(context.policy?.headerSummary).toBe("pii.flag:1,secrets.would-block:1");
  });

  it("masks embeddings input strings", async () => {
    const { context } = await run(
      testSafety({ policies: [testPolicy({ action: "mask" })] }),
      { model: "e", input: ["x a@example.com", "y"] },
      { operation: "embeddings" },
    );
    expect(context.body.input).toEqual(["x ⟦EMAIL_ADDRESS_1⟧", "y"]);
  });

  it("scopes by key name, team metadata and the risk-tier header", async () => {
    const scoped = (scope: Partial<typeof anyone>) =>
      testSafety({ policies: [testPolicy({ action: "redact", scope: { ...anyone, ...scope } })] });
    const caller: Caller = {
      kind: "virtual-key",
      key,
      attribution: new TenancyDirectory([], []).attribute(key),
    };
    const body = chat("a@example.com");
    const applies = async (safety: SafetyPolicies, headers: Record<string, string> = {}) =>
      (await run(safety, body, { caller, headers })).context.policy !== undefined;
    expect(await applies(scoped({ keys: ["billing-bot"] }))).toBe(true);
    expect(await applies(scoped({ keys: ["master"] }))).toBe(false);
    expect(await applies(scoped({ teams: ["payments"] }))).toBe(true);
    expect(await applies(scoped({ projects: ["apollo"] }))).toBe(false);
    expect(await applies(scoped({ riskTiers: ["high"] }), { "x-switchyard-risk-tier": "high" })).toBe(true);
    expect(await applies(scoped({ riskTiers: ["high"] }))).toBe(false);
  });

  describe("on Anthropic Messages bodies", () => {
    const canaryPolicy = testPolicy({
      name: "leak",
      action: "block",
      stages: ["output"],
      detectors: ["canary"],
    });
    const moderated: string[][] = [];
    const safety = new SafetyPolicies({
      config: {
        policies: [testPolicy({ action: "mask", stages: ["input", "indirect"] }), canaryPolicy],
        tools: [],
      },
      detectors: [...testDetectors, regexDetector("canary", "CANARY", /canary-x/g)],
      canarySystemPromptLine: "Marker canary-x.",
    });
    const messagesBody = {
      model: "claude",
      max_tokens: 5,
      system: "Trust a@example.com.",
      messages: [
        { role: "user", content: "hi" },
        {
          role: "assistant",
          content: [{ type: "tool_use", id: "t", name: "f", input: { to: "b@example.com" } }],
        },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: "from b@example.com" }] },
      ],
    };

    it("masks system, tool_use input and tool results, and puts the canary first in system", async () => {
      const { context, events } = await run(safety, messagesBody, { operation: "messages" });
      expect(context.body.system).toEqual([
        { type: "text", text: "Marker canary-x." },
        { type: "text", text: "Trust ⟦EMAIL_ADDRESS_1⟧." },
      ]);
      expect(JSON.stringify(context.body.messages)).not.toContain("@example.com");
      expect(events.map((event) => event.stage)).toEqual(["input", "input", "indirect"]);
    });

    it("masks count_tokens bodies without adding the canary", async () => {
      const { context } = await run(safety, messagesBody, { operation: "messages.count_tokens" });
      expect(context.body.system).toBe("Trust ⟦EMAIL_ADDRESS_1⟧.");
    });

    it("sends the system prompt and tool results to the moderation provider in one call", async () => {
      const moderation = new SafetyPolicies({
        config: {
          policies: [
            testPolicy({ action: "flag", stages: ["input", "indirect"], detectors: ["moderation"] }),
          ],
          tools: [],
        },
        detectors: [regexDetector("moderation", "BAD", /bad/g)],
        moderationProvider: {
          name: "test",
          moderate: (texts) => {
            moderated.push([...texts]);
            return Promise.resolve(texts.map(() => []));
          },
          close: () => Promise.resolve(),
        },
      });
      await run(moderation, messagesBody, { operation: "messages" });
      expect(moderated).toEqual([["Trust a@example.com.", "hi", "from b@example.com"]]);
    });
  });
});
