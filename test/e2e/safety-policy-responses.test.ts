import OpenAI from "openai";
import type { ResponseInputItem, ResponseStreamEvent } from "openai/resources/responses/responses";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PolicyActionEvent } from "../../src/gateway/steps/apply-input-policies-step.js";
import { createCanaryLeakDetector, createCanaryToken } from "../../src/safety/injection/canary-token.js";
import {
  type MockAnthropicUpstream,
  startMockAnthropicUpstream,
} from "../support/mock-anthropic-upstream.js";
import { type MockOpenAiUpstream, startMockOpenAiUpstream } from "../support/mock-openai-upstream.js";
import { regexDetector } from "../support/safety-test-policies.js";
import {
  type AnthropicBlock,
  anthropicJson,
  anthropicSse,
  type OpenAiAnswerParts,
  openAiJson,
  openAiSse,
  placeholdersIn,
} from "../support/scripted-chat-answers.js";
import {
  type ResponsesAnswerParts,
  responsesJson,
  responsesSse,
} from "../support/scripted-responses-answers.js";
import { startTestGateway, type TestGateway, testMasterKey } from "../support/start-test-gateway.js";

/** OpenAI Responses clients (`/v1/responses`) under the same safety policies as Chat and Messages clients. */

const canary = createCanaryToken();
const detectors = [
  regexDetector("pii", "EMAIL_ADDRESS", /[\w.+-]+@[\w-]+\.[\w.]+\w/g),
  regexDetector("secrets", "API_KEY", /sk-live-[A-Za-z0-9]{8,}/g),
  createCanaryLeakDetector(canary),
];

let openAiUpstream: MockOpenAiUpstream;
let claude: MockAnthropicUpstream;
let gateway: TestGateway;
let client: OpenAI;
const policyEvents: PolicyActionEvent[] = [];

beforeAll(async () => {
  openAiUpstream = await startMockOpenAiUpstream();
  claude = await startMockAnthropicUpstream();
  gateway = await startTestGateway(
    `
providers:
  - name: oai
    type: openai
    baseUrl: ${openAiUpstream.url}
    apiKey: openai-upstream-secret
  - name: compat
    type: openai-compatible
    baseUrl: ${openAiUpstream.url}
    apiKey: compat-secret
  - name: claude
    type: anthropic
    baseUrl: ${claude.url}
    apiKey: anthropic-upstream-secret
models:
  - name: gpt-house
    targets:
      - provider: oai
        model: gpt-4.1-2025-04-14
  - name: compat-house
    targets:
      - provider: compat
        model: gpt-4o-2024-08-06
  - name: claude-house
    targets:
      - provider: claude
        model: claude-sonnet-4-5-20250929
keys:
  refreshIntervalMs: 20
requestLog:
  flushIntervalMs: 60000
safety:
  policies:
    - { name: no-secrets, stages: [input, indirect], detectors: [secrets], action: block }
    - { name: mask-pii, stages: [input, indirect], detectors: [pii], action: mask }
    - { name: prompt-leak, stages: [output], scope: { riskTiers: [leak-watch] }, detectors: [canary], action: block }
  tools:
    - allow: [send_email, lookup]
      validateArguments: true
`,
    {},
    { detectors, canary, onPolicyAction: (event) => policyEvents.push(event) },
  );
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: testMasterKey, maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await claude.close();
  await openAiUpstream.close();
});
beforeEach(() => {
  claude.requests.length = 0;
  openAiUpstream.requests.length = 0;
  policyEvents.length = 0;
});

const email = "ada.lovelace@example.com";
const otherEmail = "bob@example.org";
const secret = "sk-live-ABCDEFGH1234";

const tools: OpenAI.Responses.FunctionTool[] = [
  {
    type: "function",
    name: "send_email",
    parameters: {
      type: "object",
      properties: { to: { type: "string" }, body: { type: "string" } },
      required: ["to", "body"],
      additionalProperties: false,
    },
    strict: false,
  },
  {
    type: "function",
    name: "lookup",
    parameters: { type: "object", properties: { who: { type: "string" } } },
    strict: false,
  },
];

/** PII in the instructions, user text, an earlier function call and its output (the indirect stage). */
const input: ResponseInputItem[] = [
  { role: "user", content: `Who is ${email}?` },
  { type: "function_call", call_id: "call_1", name: "lookup", arguments: JSON.stringify({ who: email }) },
  { type: "function_call_output", call_id: "call_1", output: `Colleague of ${otherEmail}.` },
  { role: "user", content: [{ type: "input_text", text: "Now write to them." }] },
];
const conversation = { instructions: `Mail from ${otherEmail} is trusted.`, input, tools };

/** The instructions' placeholder (masked first), which the scripted models repeat in text and a tool call. */
const instructionsPlaceholder = (body: Record<string, unknown>) => placeholdersIn(body).sort()[0] ?? "?";
const echoText = (placeholder: string) => `Writing to ${placeholder} and ${placeholder} again.`;

const echoingResponse =
  (toolName = "send_email") =>
  (body: Record<string, unknown>): ResponsesAnswerParts => {
    const placeholder = instructionsPlaceholder(body);
    return {
      text: echoText(placeholder),
      tool: { name: toolName, arguments: JSON.stringify({ to: placeholder, body: "Hi" }) },
    };
  };
const echoingBlocks = (body: Record<string, unknown>): AnthropicBlock[] => {
  const placeholder = instructionsPlaceholder(body);
  return [
    { type: "text", text: echoText(placeholder) },
    { type: "tool_use", id: "toolu_9", name: "send_email", input: { to: placeholder, body: "Hi" } },
  ];
};
const echoingParts = (body: Record<string, unknown>): OpenAiAnswerParts => {
  const placeholder = instructionsPlaceholder(body);
  return {
    text: echoText(placeholder),
    tool: { name: "send_email", arguments: JSON.stringify({ to: placeholder, body: "Hi" }) },
  };
};

const upstreams = [
  {
    name: "openai provider (passthrough)",
    model: "gpt-house",
    sent: () => openAiUpstream.requests[0]?.body ?? {},
    enqueue: (whole: boolean) =>
      openAiUpstream.enqueue((whole ? responsesJson : responsesSse)(echoingResponse())),
  },
  {
    name: "anthropic provider (translated)",
    model: "claude-house",
    sent: () => claude.requests[0]?.body ?? {},
    enqueue: (whole: boolean) => claude.enqueue((whole ? anthropicJson : anthropicSse)(echoingBlocks)),
  },
  {
    name: "openai-compatible provider (translated to Chat)",
    model: "compat-house",
    sent: () => openAiUpstream.requests[0]?.body ?? {},
    enqueue: (whole: boolean) => openAiUpstream.enqueue((whole ? openAiJson : openAiSse)(echoingParts)),
  },
];

function expectRestored(response: OpenAI.Responses.Response): void {
  expect(response.output_text).toBe(`Writing to ${otherEmail} and ${otherEmail} again.`);
  const call = response.output.find((item) => item.type === "function_call");
  expect(call?.type === "function_call" ? JSON.parse(call.arguments) : undefined).toEqual({
    to: otherEmail,
    body: "Hi",
  });
}

async function collect(stream: AsyncIterable<ResponseStreamEvent>): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe.each(upstreams)("reversible masking through the $name", (upstream) => {
  it("masks instructions, input text, earlier arguments and function_call_output, and restores the answer", async () => {
    upstream.enqueue(true);
    const { data, response } = await client.responses
      .create({ ...conversation, model: upstream.model })
      .withResponse();
    const sent = JSON.stringify(upstream.sent());
    expect(sent).not.toContain(email);
    expect(sent).not.toContain(otherEmail);
    expect(placeholdersIn(upstream.sent()).sort()).toEqual(["⟦EMAIL_ADDRESS_1⟧", "⟦EMAIL_ADDRESS_2⟧"]);
    expectRestored(data);
    expect(JSON.stringify(data)).not.toContain("⟦");
    expect(response.headers.get("x-switchyard-policy")).toBe("pii.mask:4");
    expect(policyEvents.map((event) => event.stage).sort()).toEqual(["indirect", "input", "input", "input"]);
  });

  it("restores placeholders split across output_text and function_call_arguments deltas", async () => {
    upstream.enqueue(false);
    const stream = client.responses.stream({ ...conversation, model: upstream.model });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const final = await stream.finalResponse();
    expectRestored(final);
    expect(JSON.stringify(events)).not.toContain("⟦");
    const text = events.map((event) => (event.type === "response.output_text.delta" ? event.delta : ""));
    expect(text.join("")).toBe(final.output_text);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    expect(JSON.stringify(upstream.sent())).not.toContain(email);
  });
});

describe("input policies on a Responses body", () => {
  it("refuses a secret in the instructions with an OpenAI error object, before any provider is called", async () => {
    const failure = await client.responses
      .create({ model: "gpt-house", instructions: `key ${secret}`, input: "hi" })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    const apiError = failure as InstanceType<typeof OpenAI.BadRequestError>;
    expect(apiError.code).toBe("GW_ERR_POLICY_BLOCKED");
    expect(apiError.type).toBe("invalid_request_error");
    expect(apiError.param).toBe("instructions");
    expect(apiError.message).toContain("no-secrets");
    expect(apiError.message).not.toContain(secret);
    expect(openAiUpstream.requests).toHaveLength(0);
  });

  it("treats function_call_output as the indirect stage", async () => {
    const failure = await client.responses
      .create({
        model: "claude-house",
        input: [
          { role: "user", content: "look it up" },
          { type: "function_call", call_id: "c1", name: "lookup", arguments: "{}" },
          { type: "function_call_output", call_id: "c1", output: `token ${secret}` },
        ],
        tools,
      })
      .catch((error: unknown) => error);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect((failure as InstanceType<typeof OpenAI.APIError>).message).toContain("in input.2.output");
    expect(policyEvents).toMatchObject([{ policy: "no-secrets", stage: "indirect", type: "API_KEY" }]);
    expect(claude.requests).toHaveLength(0);
  });
});

describe("tool rules and the canary on a Responses answer", () => {
  it("blocks a function call outside the allowlist, whole (422) and streamed (error event)", async () => {
    openAiUpstream.enqueue(responsesJson(echoingResponse("delete_account")));
    const failure = await client.responses
      .create({ model: "gpt-house", input: "hi", tools })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.UnprocessableEntityError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).code).toBe("GW_ERR_POLICY_TOOL_NOT_ALLOWED");

    claude.enqueue(
      anthropicSse(() => [{ type: "tool_use", id: "toolu_x", name: "delete_account", input: {} }]),
    );
    const events = await collect(
      await client.responses.create({ model: "claude-house", input: "hi", tools, stream: true }),
    );
    expect(events.at(-1)).toMatchObject({ type: "error", code: "GW_ERR_POLICY_TOOL_NOT_ALLOWED" });
    expect(events.at(-1)?.sequence_number).toBe(events.length - 1);
    expect(JSON.stringify(events)).not.toContain('"delete_account"');
    expect(events.some((event) => event.type === "response.completed")).toBe(false);
  });

  it("blocks arguments that do not match the declared function parameters", async () => {
    openAiUpstream.enqueue(
      responsesSse(() => ({ text: "", tool: { name: "send_email", arguments: '{"to":"x"}' } })),
    );
    const events = await collect(
      await client.responses.create({ model: "gpt-house", input: "mail", tools, stream: true }),
    );
    const last = events.at(-1);
    expect(last).toMatchObject({ type: "error", code: "GW_ERR_POLICY_TOOL_ARGUMENTS_INVALID" });
    expect(last?.type === "error" ? last.message : "").toContain("required property 'body'");
  });

  it("puts the canary into instructions, hides it in the echo and blocks an answer that leaks it", async () => {
    const headers = { "x-switchyard-risk-tier": "leak-watch" };
    const ask = { model: "gpt-house", instructions: "You are the billing assistant.", input: "Hi" };
    openAiUpstream.enqueue(responsesJson(() => ({ text: "Hello!" })));
    const { data, response } = await client.responses.create(ask, { headers }).withResponse();
    expect(openAiUpstream.requests[0]?.body.instructions).toBe(
      `${canary.systemPromptLine}\n\nYou are the billing assistant.`,
    );
    expect(data.instructions).toBe("You are the billing assistant.");
    expect(data.output_text).toBe("Hello!");
    expect(JSON.stringify(data)).not.toContain(canary.id);
    expect(response.status).toBe(200);

    const leak = (body: Record<string, unknown>): ResponsesAnswerParts => ({
      text: `My instructions: ${String(body.instructions)}`,
    });
    openAiUpstream.enqueue(responsesJson(leak), responsesSse(leak));
    const failure = await client.responses.create(ask, { headers }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.UnprocessableEntityError);
    expect((failure as Error).message).toContain("prompt-leak");
    expect((failure as Error).message).not.toContain(canary.id);

    const raw = await fetch(`${gateway.url}/v1/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${testMasterKey}`, "content-type": "application/json", ...headers },
      body: JSON.stringify({ ...ask, stream: true }),
    }).then((answer) => answer.text());
    expect(raw).toContain("GW_ERR_POLICY_OUTPUT_BLOCKED");
    expect(raw).not.toContain(canary.id);
    expect(raw).not.toContain("response.completed");
  });
});
