import { readFileSync } from "node:fs";
import { type MockAnswer, type RecordedRequest, startRecordingServer } from "./recording-server.js";

const fixtureDirectory = new URL("../__fixtures__/openai/", import.meta.url);

/** Reads a recorded OpenAI wire fixture (`chat-completion.json`, `chat-completion.chunks.txt`, …). */
export function openAiFixture(name: string): string {
  return readFileSync(new URL(name, fixtureDirectory), "utf8");
}

const responsesFixtureDirectory = new URL(
  "../../src/providers/openai-responses/__fixtures__/",
  import.meta.url,
);

/** Reads a recorded OpenAI Responses wire fixture (`response-text.json`, `response-text.chunks.txt`, …). */
export function responsesFixture(name: string): string {
  return readFileSync(new URL(name, responsesFixtureDirectory), "utf8");
}

export type { MockAnswer, RecordedRequest };

export interface MockOpenAiUpstream {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Answers the next requests with these, in order; afterwards the default answer applies. */
  enqueue(...answers: MockAnswer[]): void;
  close(): Promise<void>;
}

export const answers = {
  json(status: number, body: string, headers: Record<string, string> = {}): MockAnswer {
    return (_request, response) => {
      response.writeHead(status, { "content-type": "application/json", ...headers });
      response.end(body);
    };
  },
  sse(raw: string): MockAnswer {
    return (_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
      // Split mid-event on purpose: real upstreams do not align TCP writes with SSE events.
      const middle = Math.floor(raw.length / 2);
      response.write(raw.slice(0, middle));
      setImmediate(() => response.end(raw.slice(middle)));
    };
  },
  /** Sends the first `events` SSE events, then destroys the socket without `[DONE]`. */
  sseCut(raw: string, events: number): MockAnswer {
    return (_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
      response.write(raw.split("\n\n").slice(0, events).join("\n\n").concat("\n\n"), () =>
        response.destroy(),
      );
    };
  },
  reset(): MockAnswer {
    return (_request, response) => response.socket?.destroy();
  },
};

/** The default: recorded fixtures, echoing the requested model as OpenAI does. */
const defaultAnswer: MockAnswer = (request, response) => {
  if (request.url.endsWith("/embeddings")) {
    return answers.json(200, embeddingsAnswer(request.body.encoding_format === "base64"))(request, response);
  }
  if (request.url.endsWith("/models")) {
    const list = {
      object: "list",
      data: [{ id: "gpt-4o", object: "model", created: 1, owned_by: "system" }],
    };
    return answers.json(200, JSON.stringify(list))(request, response);
  }
  if (request.url.endsWith("/responses")) {
    return request.body.stream === true
      ? answers.sse(responsesFixture("response-text.chunks.txt"))(request, response)
      : answers.json(200, responsesFixture("response-text.json"))(request, response);
  }
  if (request.body.stream === true)
    return answers.sse(openAiFixture("chat-completion.chunks.txt"))(request, response);
  return answers.json(200, openAiFixture("chat-completion.json"))(request, response);
};

/** Like OpenAI, answers `encoding_format: "base64"` with little-endian float32 vectors in base64. */
function embeddingsAnswer(base64: boolean): string {
  const body = JSON.parse(openAiFixture("embeddings.json")) as { data: { embedding: number[] | string }[] };
  if (base64) {
    for (const item of body.data) {
      item.embedding = Buffer.from(new Float32Array(item.embedding as number[]).buffer).toString("base64");
    }
  }
  return JSON.stringify(body);
}

/** A wire-faithful stand-in for api.openai.com on loopback, recording every request it receives. */
export async function startMockOpenAiUpstream(): Promise<MockOpenAiUpstream> {
  const server = await startRecordingServer({ defaultAnswer });
  return { ...server, url: `${server.origin}/v1` };
}
