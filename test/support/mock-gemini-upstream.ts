import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import type { MockAnswer, RecordedRequest } from "./mock-openai-upstream.js";
import { startRecordingServer } from "./recording-server.js";

const fixtureDirectory = new URL("../../src/providers/gemini/__fixtures__/", import.meta.url);

/** Reads a recorded Gemini wire fixture (`response-text.json`, `stream-text.chunks.txt`, …). */
export function geminiFixture(name: string): string {
  return readFileSync(new URL(name, fixtureDirectory), "utf8");
}

export interface MockGeminiUpstream {
  /** The AI Studio style base, `http://127.0.0.1:port/v1beta`. */
  readonly url: string;
  /** The Vertex AI style base for a project and location (publisher models of Google). */
  vertexUrl(project: string, location: string): string;
  readonly requests: RecordedRequest[];
  enqueue(...answers: MockAnswer[]): void;
  close(): Promise<void>;
}

/** Headers generativelanguage.googleapis.com sends with every answer. */
function googleHeaders(contentType: string): Record<string, string> {
  return {
    "content-type": contentType,
    vary: "Origin, X-Origin, Referer",
    server: "scaffolding on HTTPServer2",
    "x-content-type-options": "nosniff",
    "server-timing": "gfet4t7; dur=412",
  };
}

export const geminiAnswers = {
  json(status: number, body: string): MockAnswer {
    return (_request, response) => {
      response.writeHead(status, googleHeaders("application/json; charset=UTF-8"));
      response.end(body);
    };
  },
  /** Streams SSE text split mid-event, as TCP delivers it. */
  sse(raw: string): MockAnswer {
    return (_request, response) => writeSse(response, raw);
  },
};

function writeSse(response: ServerResponse, raw: string): void {
  response.writeHead(200, { ...googleHeaders("text/event-stream"), "content-disposition": "attachment" });
  const middle = Math.floor(raw.length / 2);
  response.write(raw.slice(0, middle));
  setImmediate(() => response.end(raw.slice(middle)));
}

const googleError = (code: number, status: string, message: string) =>
  JSON.stringify({ error: { code, message, status } });

/** True when the last user content sends function responses back (the second leg of a tool round trip). */
function answersFunctionCalls(body: Record<string, unknown>): boolean {
  const contents = Array.isArray(body.contents) ? body.contents : [];
  const last = contents.at(-1) as { parts?: unknown } | undefined;
  return (
    Array.isArray(last?.parts) &&
    last.parts.some((part) => (part as { functionResponse?: unknown }).functionResponse !== undefined)
  );
}

const vertexPrefix = /^\/v1\/projects\/[a-z0-9-]+\/locations\/[a-z0-9-]+\/publishers\/google\//;

/** `{base}/models/{model}:{method}` on AI Studio or Vertex → model and method (query string removed). */
function routeOf(url: string): { model: string; method: string } | undefined {
  const match =
    /^(?:\/v1beta|\/v1\/projects\/[^/]+\/locations\/[^/]+\/publishers\/google)\/models\/([^:/?]+):([A-Za-z]+)(?:\?.*)?$/.exec(
      url,
    );
  return match === null ? undefined : { model: decodeURIComponent(match[1] ?? ""), method: match[2] ?? "" };
}

/**
 * The default answers, from recorded fixtures: a function-call turn when the request offers tools (and is not
 * already answering calls), a text turn otherwise; `:batchEmbedContents` one 4-dimensional vector per input;
 * `:countTokens` the recorded count;
 * `GET /models` the recorded model list. `modelVersion` echoes the model in the URL.
 */
const defaultAnswer: MockAnswer = (request, response) => {
  if (request.method === "GET" && request.url.startsWith("/v1beta/models")) {
    return geminiAnswers.json(200, geminiFixture("models-list.json"))(request, response);
  }
  const route = routeOf(request.url);
  if (route === undefined) {
    return geminiAnswers.json(404, googleError(404, "NOT_FOUND", `Unknown path ${request.url}`))(
      request,
      response,
    );
  }
  if (route.method === "countTokens") {
    return geminiAnswers.json(200, geminiFixture("count-tokens-response.json"))(request, response);
  }
  if (route.method === "batchEmbedContents") {
    const requests = Array.isArray(request.body.requests) ? request.body.requests : [];
    const embeddings = requests.map((_, index) => ({ values: [0.25 * (index + 1), -0.5, 0.125, 1] }));
    return geminiAnswers.json(200, JSON.stringify({ embeddings }))(request, response);
  }
  const wantsTool = Array.isArray(request.body.tools) && !answersFunctionCalls(request.body);
  if (route.method === "streamGenerateContent") {
    const raw = geminiFixture(wantsTool ? "stream-function-calls.chunks.txt" : "stream-text.chunks.txt");
    return writeSse(
      response,
      raw.replaceAll('"modelVersion":"gemini-2.5-flash"', `"modelVersion":"${route.model}"`),
    );
  }
  const body = JSON.parse(
    geminiFixture(wantsTool ? "response-function-calls.json" : "response-text.json"),
  ) as Record<string, unknown>;
  body.modelVersion = route.model;
  return geminiAnswers.json(200, JSON.stringify(body))(request, response);
};

/**
 * A wire-faithful stand-in for generativelanguage.googleapis.com on loopback: `:generateContent`,
 * `:streamGenerateContent?alt=sse`, `:batchEmbedContents`, `:countTokens` and `GET /models`, requiring
 * `x-goog-api-key` (or, under the Vertex AI path, a bearer token).
 */
export async function startMockGeminiUpstream(): Promise<MockGeminiUpstream> {
  const server = await startRecordingServer({ defaultAnswer, refusal: unauthenticated });
  return {
    ...server,
    url: `${server.origin}/v1beta`,
    vertexUrl: (project, location) =>
      `${server.origin}/v1/projects/${project}/locations/${location}/publishers/google`,
  };
}

/** AI Studio takes an API key header; Vertex AI an OAuth access token as a bearer token. */
function unauthenticated(request: RecordedRequest): MockAnswer | undefined {
  const vertex = vertexPrefix.test(request.url);
  const authenticated = vertex
    ? /^Bearer \S+$/.test(request.headers.authorization ?? "")
    : request.headers["x-goog-api-key"] !== undefined;
  if (authenticated) return undefined;
  const message =
    "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.";
  return geminiAnswers.json(403, googleError(403, "PERMISSION_DENIED", message));
}
