import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import type { MockAnswer, RecordedRequest } from "./mock-openai-upstream.js";
import { startRecordingServer } from "./recording-server.js";

const fixtureDirectory = new URL("../../src/providers/anthropic/__fixtures__/", import.meta.url);

/** Reads a recorded Anthropic wire fixture (`message-text.json`, `message-tool-use.chunks.txt`, …). */
export function anthropicFixture(name: string): string {
  return readFileSync(new URL(name, fixtureDirectory), "utf8");
}

export interface MockAnthropicUpstream {
  readonly url: string;
  readonly requests: RecordedRequest[];
  enqueue(...answers: MockAnswer[]): void;
  close(): Promise<void>;
}

/** Headers api.anthropic.com sends with every answer. */
function anthropicHeaders(contentType: string): Record<string, string> {
  return {
    "content-type": contentType,
    "request-id": "req_011CSHoEeqs5C35K2UUqR7Fy",
    "anthropic-organization-id": "4a1f-test-org",
  };
}

export const anthropicAnswers = {
  json(status: number, body: string, headers: Record<string, string> = {}): MockAnswer {
    return (_request, response) => {
      response.writeHead(status, { ...anthropicHeaders("application/json"), ...headers });
      response.end(body);
    };
  },
  /** Streams SSE text split mid-event, as TCP delivers it. */
  sse(raw: string): MockAnswer {
    return (_request, response) => writeSse(response, raw);
  },
};

function writeSse(response: ServerResponse, raw: string): void {
  response.writeHead(200, {
    ...anthropicHeaders("text/event-stream; charset=utf-8"),
    "cache-control": "no-cache",
  });
  const middle = Math.floor(raw.length / 2);
  response.write(raw.slice(0, middle));
  setImmediate(() => response.end(raw.slice(middle)));
}

/** True when the last user turn sends tool results back, i.e. the second leg of a tool round trip. */
function answersToolResults(body: Record<string, unknown>): boolean {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last = messages.at(-1) as { content?: unknown } | undefined;
  return (
    Array.isArray(last?.content) &&
    last.content.some((block) => (block as { type?: unknown }).type === "tool_result")
  );
}

/**
 * The default answers, from recorded fixtures: a tool-use turn when the request offers tools (and is not
 * already answering tool results), a text turn otherwise; the response's `model` echoes the request's.
 */
const defaultAnswer: MockAnswer = (request, response) => {
  if (request.url.endsWith("/messages/count_tokens")) {
    return anthropicAnswers.json(200, anthropicFixture("count-tokens.json"))(request, response);
  }
  const wantsTool = Array.isArray(request.body.tools) && !answersToolResults(request.body);
  const model = String(request.body.model);
  if (request.body.stream === true) {
    const raw = anthropicFixture(wantsTool ? "message-tool-use.chunks.txt" : "message-text.chunks.txt");
    return writeSse(
      response,
      raw.replaceAll('"model":"claude-sonnet-4-5-20250929"', `"model":${JSON.stringify(model)}`),
    );
  }
  const body = JSON.parse(
    anthropicFixture(wantsTool ? "message-tool-use.json" : "message-text.json"),
  ) as Record<string, unknown>;
  body.model = model;
  return anthropicAnswers.json(200, JSON.stringify(body))(request, response);
};

/** A wire-faithful stand-in for api.anthropic.com on loopback (`/v1/messages`, `/v1/messages/count_tokens`). */
export async function startMockAnthropicUpstream(): Promise<MockAnthropicUpstream> {
  const server = await startRecordingServer({
    defaultAnswer,
    refusal: (request) =>
      request.headers["x-api-key"] === undefined
        ? anthropicAnswers.json(
            401,
            '{"type":"error","error":{"type":"authentication_error","message":"x-api-key header is required"}}',
          )
        : undefined,
  });
  return { ...server, url: `${server.origin}/v1` };
}
