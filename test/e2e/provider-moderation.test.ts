import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type MockOpenAiUpstream, startMockOpenAiUpstream } from "../support/mock-openai-upstream.js";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

interface ModerationResult {
  flagged: boolean;
  categories: Record<string, boolean>;
  category_scores: Record<string, number>;
}

/** The recorded response shape: one result flagged for violence, one with nothing flagged. */
const recorded = JSON.parse(
  readFileSync(
    new URL("../../src/providers/openai/__fixtures__/moderation-response.json", import.meta.url),
    "utf8",
  ),
) as { id: string; model: string; results: ModerationResult[] };
const violent = recorded.results[0] as ModerationResult;
const clean: ModerationResult = {
  ...violent,
  flagged: false,
  categories: Object.fromEntries(Object.keys(violent.categories).map((name) => [name, false])),
  category_scores: Object.fromEntries(Object.keys(violent.category_scores).map((name) => [name, 0.0001])),
};
const rateLimited = readFileSync(
  new URL("../../src/providers/openai/__fixtures__/moderation-error-429.json", import.meta.url),
  "utf8",
);

const moderationCalls: { model: unknown; input: unknown }[] = [];
let nextStatus = 200;
let moderation: Server;
let upstream: MockOpenAiUpstream;
let gateway: TestGateway;
let client: OpenAI;

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
}

beforeAll(async () => {
  // OpenAI's /v1/moderations on the wire: texts containing "ambush" are judged violent.
  moderation = createServer((request, response) => {
    void readJson(request).then((body) => {
      moderationCalls.push({ model: body.model, input: body.input });
      if (nextStatus !== 200) {
        response.writeHead(nextStatus, { "content-type": "application/json", "retry-after": "1" });
        response.end(rateLimited);
        return;
      }
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      const results = inputs.map((text) => (String(text).includes("ambush") ? violent : clean));
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ id: recorded.id, model: recorded.model, results }));
    });
  });
  await new Promise<void>((resolve) => moderation.listen(0, "127.0.0.1", resolve));
  const moderationUrl = `http://127.0.0.1:${(moderation.address() as AddressInfo).port}/v1`;
  upstream = await startMockOpenAiUpstream();
  gateway = await startTestGateway(`
providers:
  - { name: chat, type: openai-compatible, baseUrl: ${upstream.url}, apiKey: upstream-secret }
  - { name: moderator, type: openai-compatible, baseUrl: ${moderationUrl}, apiKey: moderation-secret }
models:
  - { name: gpt-4o, targets: [{ provider: chat, model: gpt-4o }] }
safety:
  moderation: { provider: moderator, model: omni-moderation-2024-09-26 }
  policies:
    - { name: no-violence, stages: [input, indirect], detectors: [moderation], types: [VIOLENCE], action: block }
`);
  client = gateway.client();
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
  await new Promise((resolve) => moderation.close(resolve));
});
beforeEach(() => {
  moderationCalls.length = 0;
  upstream.requests.length = 0;
  nextStatus = 200;
});

describe("provider moderation in policies", () => {
  it("asks the provider once about every text and blocks what it flags, before any model is called", async () => {
    const failure = await client.chat.completions
      .create({
        model: "gpt-4o",
        messages: [
          { role: "system", content: "You are a planner." },
          { role: "user", content: [{ type: "text", text: "Plan the ambush at dawn." }] },
        ],
      })
      .catch((error: unknown) => error);
    expect(moderationCalls).toEqual([
      { model: "omni-moderation-2024-09-26", input: ["You are a planner.", "Plan the ambush at dawn."] },
    ]);
    const apiError = failure as InstanceType<typeof OpenAI.APIError>;
    expect([apiError.status, apiError.code]).toEqual([400, "GW_ERR_POLICY_BLOCKED"]);
    expect(apiError.message).toContain("no-violence");
    expect(apiError.message).toContain("VIOLENCE");
    expect(upstream.requests).toHaveLength(0);
  });

  it("lets through what the provider does not flag", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Plan the picnic at dawn." }],
    });
    expect(completion.choices[0]?.message.role).toBe("assistant");
    expect(moderationCalls).toHaveLength(1);
    expect(upstream.requests).toHaveLength(1);
  });

  it("fails the request when the provider cannot judge it, rather than letting it through", async () => {
    nextStatus = 429;
    const failure = await client.chat.completions
      .create({ model: "gpt-4o", messages: [{ role: "user", content: "Plan the picnic." }] })
      .catch((error: unknown) => error);
    const apiError = failure as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(429);
    expect(apiError.code).toBe("GW_ERR_UPSTREAM_ERROR");
    expect(apiError.headers?.get("retry-after")).toBe("1");
    expect(upstream.requests).toHaveLength(0);
  });
});
