import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { type MockAnswer, type RecordedRequest, responsesFixture } from "./mock-openai-upstream.js";
import { startRecordingServer } from "./recording-server.js";

const fixtureDirectory = new URL("../../src/providers/azure/__fixtures__/", import.meta.url);

/** Reads a recorded Azure OpenAI wire fixture (`chat-completion.json`, `error-in-stream.chunks.txt`, …). */
export function azureFixture(name: string): string {
  return readFileSync(new URL(name, fixtureDirectory), "utf8");
}

export interface MockAzureOpenAiOptions {
  /** Deployments that exist; any other deployment name answers 404 DeploymentNotFound. */
  readonly deployments: readonly string[];
  /** The `api-version` values the resource accepts on deployment URLs. */
  readonly apiVersions: readonly string[];
  /** The resource key expected in `api-key`. */
  readonly apiKey: string;
  /** The Microsoft Entra token accepted as `Authorization: Bearer`. */
  readonly entraToken: string;
}

export interface MockAzureOpenAiUpstream {
  /** The resource endpoint (`https://<resource>.openai.azure.com` in production). */
  readonly endpoint: string;
  readonly requests: RecordedRequest[];
  /** Answers the next valid requests with these, in order; afterwards the recorded defaults apply. */
  enqueue(...answers: MockAnswer[]): void;
  close(): Promise<void>;
}

/** Headers Azure OpenAI sends with every answer. */
function azureHeaders(contentType: string): Record<string, string> {
  return {
    "content-type": contentType,
    "apim-request-id": "8c0f3c6e-2a4b-4f7e-9d1a-5b6c7d8e9f01",
    "x-request-id": "5b1d2c3e-4f50-6172-8394-a5b6c7d8e9f0",
    "x-ms-region": "East US",
    "x-ratelimit-remaining-requests": "99",
    "x-ratelimit-remaining-tokens": "79000",
  };
}

export const azureAnswers = {
  json(status: number, body: string, headers: Record<string, string> = {}): MockAnswer {
    return (_request, response) => {
      response.writeHead(status, { ...azureHeaders("application/json"), ...headers });
      response.end(body);
    };
  },
  /** Streams SSE text split mid-event, as TCP delivers it; the usage chunk only when it was asked for. */
  sse(raw: string): MockAnswer {
    return (request, response) => writeSse(response, raw, wantsUsage(request.body));
  },
};

function wantsUsage(body: Record<string, unknown>): boolean {
  const options = body.stream_options as { include_usage?: unknown } | undefined;
  return options?.include_usage === true;
}

function writeSse(response: ServerResponse, raw: string, withUsage: boolean): void {
  response.writeHead(200, {
    ...azureHeaders("text/event-stream; charset=utf-8"),
    "cache-control": "no-cache",
  });
  const text = withUsage
    ? raw
    : raw
        .split("\n\n")
        .filter((frame) => !(frame.includes('"choices":[],') && frame.includes('"usage":{')))
        .join("\n\n");
  const middle = Math.floor(text.length / 2);
  response.write(text.slice(0, middle));
  setImmediate(() => response.end(text.slice(middle)));
}

/** True when the last message sends tool results back, i.e. the second leg of a tool round trip. */
function answersToolResults(body: Record<string, unknown>): boolean {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  return (messages.at(-1) as { role?: unknown } | undefined)?.role === "tool";
}

/** Recorded answers: embeddings, a tool-call turn when tools are offered (not already answered), else text. */
const defaultAnswer: MockAnswer = (request, response) => {
  if (request.url.endsWith("/openai/v1/responses")) {
    return request.body.stream === true
      ? azureAnswers.sse(responsesFixture("response-text.chunks.txt"))(request, response)
      : azureAnswers.json(200, responsesFixture("response-text.json"))(request, response);
  }
  if (request.url.includes("/embeddings")) {
    return azureAnswers.json(200, embeddingsAnswer(request.body.encoding_format === "base64"))(
      request,
      response,
    );
  }
  if (request.body.stream === true) {
    return writeSse(response, azureFixture("chat-completion.chunks.txt"), wantsUsage(request.body));
  }
  const wantsTool = Array.isArray(request.body.tools) && !answersToolResults(request.body);
  const fixture = wantsTool ? "chat-tool-calls.json" : "chat-completion.json";
  return azureAnswers.json(200, azureFixture(fixture))(request, response);
};

/** Like OpenAI, answers `encoding_format: "base64"` with little-endian float32 vectors in base64. */
function embeddingsAnswer(base64: boolean): string {
  const body = JSON.parse(azureFixture("embeddings.json")) as { data: { embedding: number[] | string }[] };
  if (base64) {
    for (const item of body.data) {
      item.embedding = Buffer.from(new Float32Array(item.embedding as number[]).buffer).toString("base64");
    }
  }
  return JSON.stringify(body);
}

const errorBody = (code: string, message: string) => JSON.stringify({ error: { code, message } });

/**
 * Checks a request as Azure does before answering: the URL style (deployment URL with a known deployment and a
 * supported `api-version`, or `/openai/v1/…`) and the credential (`api-key`, or an Entra bearer token).
 */
function refusal(request: RecordedRequest, options: MockAzureOpenAiOptions): MockAnswer | undefined {
  const url = new URL(request.url, "http://azure.invalid");
  const deploymentPath = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/.exec(
    url.pathname,
  );
  const v1Path = /^\/openai\/v1\/(chat\/completions|embeddings|responses)$/.test(url.pathname);
  if (deploymentPath === null && !v1Path) {
    return azureAnswers.json(404, errorBody("404", "Resource not found"));
  }
  const credential =
    request.headers["api-key"] === options.apiKey ||
    request.headers.authorization === `Bearer ${options.entraToken}`;
  if (!credential) {
    return azureAnswers.json(
      401,
      errorBody(
        "401",
        "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
      ),
    );
  }
  if (deploymentPath === null) {
    return url.searchParams.has("api-version")
      ? azureAnswers.json(400, errorBody("BadRequest", "The v1 API does not take an api-version."))
      : undefined;
  }
  const apiVersion = url.searchParams.get("api-version");
  if (apiVersion === null || !options.apiVersions.includes(apiVersion)) {
    return azureAnswers.json(
      404,
      errorBody("404", apiVersion === null ? "Resource not found" : "Unsupported api-version"),
    );
  }
  if (!options.deployments.includes(decodeURIComponent(deploymentPath[1] ?? ""))) {
    return azureAnswers.json(
      404,
      errorBody(
        "DeploymentNotFound",
        "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.",
      ),
    );
  }
  return undefined;
}

/** A wire-faithful stand-in for an Azure OpenAI resource on loopback, recording every request it receives. */
export async function startMockAzureOpenAiUpstream(
  options: MockAzureOpenAiOptions,
): Promise<MockAzureOpenAiUpstream> {
  const server = await startRecordingServer({
    defaultAnswer,
    refusal: (request) => refusal(request, options),
  });
  return { ...server, endpoint: server.origin };
}
