import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { parseConfigText } from "../../src/config/load-config.js";
import type { PolicyActionEvent } from "../../src/gateway/steps/apply-input-policies-step.js";
import {
  type MockAnswer,
  type MockOpenAiUpstream,
  startMockOpenAiUpstream,
} from "../support/mock-openai-upstream.js";
import { regexDetector } from "../support/safety-test-policies.js";
import {
  mockUpstreamConfig,
  startTestGateway,
  type TestGateway,
  testMasterKey,
} from "../support/start-test-gateway.js";

/** Small regex detectors stand in for the real ones (which live in src/safety/<family>/). */
const detectors = [
  regexDetector("pii", "EMAIL_ADDRESS", /[\w.+-]+@[\w-]+\.[\w.]+\w/g),
  regexDetector("secrets", "API_KEY", /sk-live-[A-Za-z0-9]{8,}/g),
  regexDetector("moderation", "FORBIDDEN_WORD", /\bplutonium\b/gi),
];

const safetyYaml = `
safety:
  policies:
    - name: no-secrets
      stages: [input, indirect]
      detectors: [secrets]
      action: block
    - name: mask-pii
      stages: [input, indirect]
      scope: { models: [gpt-4o, text-embedding-3-small] }
      detectors: [pii]
      action: mask
    - name: audit-pii
      stages: [input]
      scope: { models: [resilient] }
      detectors: [pii]
      action: mask
      dryRun: true
    - name: no-weapons
      stages: [output]
      scope: { riskTiers: [high] }
      detectors: [moderation]
      action: block
    - name: redact-emails-out
      stages: [output]
      scope: { riskTiers: [redact] }
      detectors: [pii]
      action: redact
  tools:
    - scope: { models: [gpt-4o] }
      allow: [send_email, lookup]
      validateArguments: true
`;

let upstream: MockOpenAiUpstream;
let gateway: TestGateway;
let client: OpenAI;
const policyEvents: PolicyActionEvent[] = [];

beforeAll(async () => {
  upstream = await startMockOpenAiUpstream();
  gateway = await startTestGateway(
    mockUpstreamConfig(upstream.url, safetyYaml),
    {},
    {
      detectors,
      onPolicyAction: (event) => policyEvents.push(event),
    },
  );
  client = gateway.client();
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.requests.length = 0;
  policyEvents.length = 0;
});

const email = "ada.lovelace@example.com";
const otherEmail = "bob@example.org";

const sendEmailTool: OpenAI.ChatCompletionTool = {
  type: "function",
  function: {
    name: "send_email",
    parameters: {
      type: "object",
      properties: { to: { type: "string" }, body: { type: "string" } },
      required: ["to", "body"],
      additionalProperties: false,
    },
  },
};

/** The placeholders the gateway put into what the upstream received. */
function placeholdersIn(body: Record<string, unknown>): string[] {
  return [...new Set(JSON.stringify(body).match(/⟦[A-Z0-9_]+⟧/g) ?? [])];
}

/** Answers like a model that repeats the first placeholder it was given, in text and in a tool call. */
function echoingCompletion(toolName = "send_email"): MockAnswer {
  return (request, response) => {
    const [placeholder = "?"] = placeholdersIn(request.body);
    const body = {
      id: "chatcmpl-1",
      object: "chat.completion",
      created: 1,
      model: "gpt-4o-2024-08-06",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: `I will write to ${placeholder}.`,
            tool_calls: [
              {
                id: "call_1",
                type: "function",
                function: { name: toolName, arguments: JSON.stringify({ to: placeholder, body: "Hello" }) },
              },
            ],
          },
          finish_reason: "tool_calls",
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    };
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
}

function chunk(delta: Record<string, unknown>, finishReason: string | null = null): string {
  const event = {
    id: "chatcmpl-2",
    object: "chat.completion.chunk",
    created: 1,
    model: "gpt-4o-2024-08-06",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
  return `data: ${JSON.stringify(event)}\n\n`;
}

/** Streams events one write at a time, each split in two mid-event, like real upstreams. */
function streamOf(events: (request: Record<string, unknown>) => string[]): MockAnswer {
  return (request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
    const raw = events(request.body).join("").concat("data: [DONE]\n\n");
    let offset = 0;
    const write = () => {
      if (offset >= raw.length) return void response.end();
      const size = 37;
      response.write(raw.slice(offset, offset + size), () => setImmediate(write));
      offset += size;
    };
    write();
  };
}

/** Splits a string into pieces of the given sizes, cycling, so placeholders land across deltas. */
function splitEvery(text: string, sizes: readonly number[]): string[] {
  const pieces: string[] = [];
  for (let offset = 0, turn = 0; offset < text.length; turn += 1) {
    const size = sizes[turn % sizes.length] ?? 1;
    pieces.push(text.slice(offset, offset + size));
    offset += size;
  }
  return pieces;
}

function echoingStream(): MockAnswer {
  return streamOf((body) => {
    const [placeholder = "?"] = placeholdersIn(body);
    const text = `Writing to ${placeholder} and ${placeholder} again.`;
    const args = JSON.stringify({ to: placeholder, body: "Hi" });
    return [
      chunk({ role: "assistant", content: "" }),
      ...splitEvery(text, [3, 5, 2]).map((piece) => chunk({ content: piece })),
      chunk({
        tool_calls: [
          { index: 0, id: "call_9", type: "function", function: { name: "send_email", arguments: "" } },
        ],
      }),
      ...splitEvery(args, [4, 1, 7]).map((piece) =>
        chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }),
      ),
      chunk({}, "tool_calls"),
    ];
  });
}

const userAsks = (text: string): OpenAI.ChatCompletionMessageParam[] => [
  { role: "system", content: "You are an assistant." },
  { role: "user", content: text },
];

describe("input policies", () => {
  it("blocks a request with a secret before it reaches the upstream, naming the policy but not the value", async () => {
    const secret = "sk-live-ABCDEFGH1234";
    const failure = await client.chat.completions
      .create({ model: "gpt-4o", messages: userAsks(`my key is ${secret}`) })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    const apiError = failure as InstanceType<typeof OpenAI.BadRequestError>;
    expect(apiError.status).toBe(400);
    expect(apiError.code).toBe("GW_ERR_POLICY_BLOCKED");
    expect(apiError.message).toContain("no-secrets");
    expect(apiError.message).toContain("API_KEY");
    expect(apiError.message).not.toContain(secret);
    expect(apiError.param).toBe("messages.1.content");
    expect(apiError.headers?.get("x-switchyard-policy")).toBe("secrets.block:1");
    expect(upstream.requests).toHaveLength(0);
  });

  it("treats tool results as indirect input and checks content-part arrays", async () => {
    const failure = await client.chat.completions
      .create({
        model: "gpt-4o",
        messages: [
          { role: "user", content: [{ type: "text", text: "look it up" }] },
          {
            role: "assistant",
            content: null,
            tool_calls: [{ id: "c1", type: "function", function: { name: "lookup", arguments: "{}" } }],
          },
          { role: "tool", tool_call_id: "c1", content: "token: sk-live-ZZZZZZZZ9999" },
        ],
      })
      .catch((error: unknown) => error);
    expect((failure as InstanceType<typeof OpenAI.APIError>).param).toBe("messages.2.content");
    expect(upstream.requests).toHaveLength(0);
    expect(policyEvents).toMatchObject([
      { policy: "no-secrets", stage: "indirect", type: "API_KEY", count: 1 },
    ]);
  });

  it("masks embeddings input too", async () => {
    await client.embeddings.create({ model: "text-embedding-3-small", input: [`mail ${email}`, "plain"] });
    expect(upstream.requests[0]?.body.input).toEqual(["mail ⟦EMAIL_ADDRESS_1⟧", "plain"]);
  });

  it("records a dry run without changing what the upstream receives", async () => {
    const { response } = await client.chat.completions
      .create({ model: "resilient", messages: userAsks(`reach me at ${email}`) })
      .withResponse();
    expect(JSON.stringify(upstream.requests[0]?.body)).toContain(email);
    expect(response.headers.get("x-switchyard-policy")).toBe("pii.would-mask:1");
    const requestId = response.headers.get("x-request-id");
    await vi.waitFor(
      async () => {
        await gateway.running.flushRequestLog();
        const rows = await gateway.running.storage.requestLogs.query({ limit: 10 });
        expect(rows.find((row) => row.id === requestId)?.policy).toBe("pii.would-mask:1");
      },
      { timeout: 5_000, interval: 20 },
    );
  });
});

describe("reversible masking", () => {
  it("sends placeholders upstream and restores the originals in a whole answer, tool-call arguments included", async () => {
    upstream.enqueue(echoingCompletion());
    const { data, response } = await client.chat.completions
      .create({
        model: "gpt-4o",
        messages: [
          { role: "system", content: `Mail from ${otherEmail} is trusted.` },
          { role: "user", content: `Email ${email}, copy ${otherEmail}; again: ${email}` },
        ],
        tools: [sendEmailTool],
      })
      .withResponse();
    const sent = JSON.stringify(upstream.requests[0]?.body);
    expect(sent).not.toContain(email);
    expect(sent).not.toContain(otherEmail);
    const messages = upstream.requests[0]?.body.messages as { content: string }[];
    expect(messages[0]?.content).toBe("Mail from ⟦EMAIL_ADDRESS_1⟧ is trusted.");
    expect(messages[1]?.content).toBe(
      "Email ⟦EMAIL_ADDRESS_2⟧, copy ⟦EMAIL_ADDRESS_1⟧; again: ⟦EMAIL_ADDRESS_2⟧",
    );

    const message = data.choices[0]?.message;
    expect(message?.content).toBe(`I will write to ${otherEmail}.`);
    const call = message?.tool_calls?.[0];
    expect(call?.type === "function" ? JSON.parse(call.function.arguments) : undefined).toEqual({
      to: otherEmail,
      body: "Hello",
    });
    expect(response.headers.get("x-switchyard-policy")).toBe("pii.mask:4");
  });

  it("restores placeholders split across streamed deltas, in text and in tool-call arguments", async () => {
    upstream.enqueue(echoingStream());
    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      messages: userAsks(`Please email ${email}`),
      tools: [sendEmailTool],
      stream: true,
    });
    let text = "";
    let args = "";
    for await (const part of stream) {
      const delta = part.choices[0]?.delta;
      text += delta?.content ?? "";
      args += delta?.tool_calls?.[0]?.function?.arguments ?? "";
      expect(delta?.content ?? "").not.toMatch(/⟦/);
    }
    expect(JSON.stringify(upstream.requests[0]?.body)).not.toContain(email);
    expect(text).toBe(`Writing to ${email} and ${email} again.`);
    expect(JSON.parse(args)).toEqual({ to: email, body: "Hi" });
  });
});

describe("output policies and tool rules", () => {
  it("stops a stream with an error event and no [DONE] when an output block fires", async () => {
    upstream.enqueue(
      streamOf(() => [
        chunk({ role: "assistant", content: "" }),
        ...splitEvery("Here is how to enrich plu", [4]).map((piece) => chunk({ content: piece })),
        chunk({ content: "tonium at home." }),
        chunk({}, "stop"),
      ]),
    );
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${testMasterKey}`,
        "content-type": "application/json",
        "x-switchyard-risk-tier": "high",
      },
      body: JSON.stringify({ model: "gpt-4o", messages: userAsks("tell me"), stream: true }),
    });
    const raw = await response.text();
    expect(raw).not.toContain("[DONE]");
    expect(raw).not.toMatch(/plutonium/i);
    const events = raw.split("\n\n").filter((event) => event !== "");
    const last = JSON.parse(events.at(-1)?.slice("data: ".length) ?? "{}") as {
      error?: { code?: string; message?: string };
    };
    expect(last.error?.code).toBe("GW_ERR_POLICY_OUTPUT_BLOCKED");
    expect(last.error?.message).toContain("no-weapons");

    upstream.enqueue(streamOf(() => [chunk({ content: "plutonium" }), chunk({}, "stop")]));
    const viaSdk = await client.chat.completions.create(
      { model: "gpt-4o", messages: userAsks("again"), stream: true },
      { headers: { "x-switchyard-risk-tier": "high" } },
    );
    const failure = await (async () => {
      for await (const _part of viaSdk) {
        // drain
      }
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
  });

  it("blocks a whole answer with 422, records it, and tells the audit hook", async () => {
    upstream.enqueue((_request, response) => {
      const body = {
        id: "chatcmpl-3",
        object: "chat.completion",
        created: 1,
        model: "gpt-4o-2024-08-06",
        choices: [
          { index: 0, message: { role: "assistant", content: "Buy plutonium." }, finish_reason: "stop" },
        ],
      };
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    });
    const failure = await client.chat.completions
      .create(
        { model: "gpt-4o", messages: userAsks("shop") },
        { headers: { "x-switchyard-risk-tier": "high" } },
      )
      .catch((error: unknown) => error);
    const apiError = failure as InstanceType<typeof OpenAI.APIError>;
    expect([apiError.status, apiError.code]).toEqual([422, "GW_ERR_POLICY_OUTPUT_BLOCKED"]);
    expect(apiError.message).not.toMatch(/Buy plutonium/);
    expect(apiError.headers?.get("x-switchyard-policy")).toBe("moderation.block:1");
    expect(policyEvents).toEqual([
      expect.objectContaining({
        policy: "no-weapons",
        stage: "output",
        type: "FORBIDDEN_WORD",
        action: "block",
      }),
    ]);
    const requestId = apiError.headers?.get("x-request-id");
    await vi.waitFor(
      async () => {
        await gateway.running.flushRequestLog();
        const rows = await gateway.running.storage.requestLogs.query({ limit: 10 });
        expect(rows.find((row) => row.id === requestId)).toMatchObject({
          status: 422,
          errorCode: "GW_ERR_POLICY_OUTPUT_BLOCKED",
          policy: "moderation.block:1",
        });
      },
      { timeout: 5_000, interval: 20 },
    );
  });

  it("redacts output values in a stream without releasing any part of them", async () => {
    upstream.enqueue(
      streamOf(() => [
        ...splitEvery(`Contact ${otherEmail} for help.`, [2, 3]).map((piece) => chunk({ content: piece })),
        chunk({}, "stop"),
      ]),
    );
    const stream = await client.chat.completions.create(
      { model: "gpt-4o", messages: userAsks("who?"), stream: true },
      { headers: { "x-switchyard-risk-tier": "redact" } },
    );
    let text = "";
    for await (const part of stream) text += part.choices[0]?.delta?.content ?? "";
    expect(text).toBe("Contact [REDACTED:EMAIL_ADDRESS] for help.");
  });

  it("blocks a call to a tool outside the allowlist, whole and streamed", async () => {
    upstream.enqueue(echoingCompletion("delete_account"));
    const failure = await client.chat.completions
      .create({ model: "gpt-4o", messages: userAsks("hi"), tools: [sendEmailTool] })
      .catch((error: unknown) => error);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(422);
    expect((failure as InstanceType<typeof OpenAI.APIError>).code).toBe("GW_ERR_POLICY_TOOL_NOT_ALLOWED");

    upstream.enqueue(
      streamOf(() => [
        chunk({
          tool_calls: [
            { index: 0, id: "c", type: "function", function: { name: "delete_account", arguments: "" } },
          ],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: "{}" } }] }),
        chunk({}, "tool_calls"),
      ]),
    );
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${testMasterKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", messages: userAsks("hi"), stream: true }),
    });
    const raw = await response.text();
    expect(raw).toContain("GW_ERR_POLICY_TOOL_NOT_ALLOWED");
    expect(raw).not.toContain('delete_account"');
    expect(raw).not.toContain("[DONE]");
  });

  it("blocks tool-call arguments that do not match the tool's parameters schema", async () => {
    upstream.enqueue(
      streamOf(() => [
        chunk({
          tool_calls: [
            { index: 0, id: "c", type: "function", function: { name: "send_email", arguments: "" } },
          ],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"to":' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"x@y.z"}' } }] }),
        chunk({}, "tool_calls"),
      ]),
    );
    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      messages: userAsks("mail"),
      tools: [sendEmailTool],
      stream: true,
    });
    const failure = await (async () => {
      for await (const part of stream)
        expect(part.choices[0]?.delta?.tool_calls?.[0]?.function?.arguments ?? "").toBe("");
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).message).toContain("required property 'body'");
  });
});

describe("reload", () => {
  it("applies the reloaded policies to new requests, and rejects a policy whose detector is not installed", async () => {
    const reload = (yaml: string) =>
      gateway.running.reload(
        parseConfigText(mockUpstreamConfig(upstream.url, yaml), "reload.yaml", {
          SWITCHYARD_MASTER_KEY: testMasterKey,
        }),
      );
    const injectionPolicy = `
safety:
  policies:
    - { name: no-injection, stages: [input], detectors: [injection], action: block }
`;
    await expect(reload(injectionPolicy)).rejects.toThrow("uses detector injection, which is not installed");
    await reload("");
    await client.chat.completions.create({ model: "gpt-4o", messages: userAsks(`mail ${email}`) });
    expect(JSON.stringify(upstream.requests[0]?.body)).toContain(email);
  });
});
