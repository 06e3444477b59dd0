import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const benchModel = "gpt-4o-mini";

/** A small, realistic chat request: what every non-streaming case sends. */
export const chatRequestBody = JSON.stringify({
  model: benchModel,
  messages: [
    {
      role: "system",
      content:
        "You are a concise assistant for an e-commerce support team. Answer in at most three sentences.",
    },
    {
      role: "user",
      content:
        "A customer ordered two items on 3 March and one arrived damaged. What are their options for a refund " +
        "or a replacement, and how long does each take?",
    },
  ],
  temperature: 0.2,
  max_tokens: 256,
  user: "bench-user-42",
});

export const streamingRequestBody = JSON.stringify({ ...JSON.parse(chatRequestBody), stream: true });

/** The same request in Anthropic's Messages dialect, for the translated (Anthropic-inbound) case. */
export const anthropicRequestBody = JSON.stringify({
  model: benchModel,
  system: "You are a concise assistant for an e-commerce support team. Answer in at most three sentences.",
  messages: [
    {
      role: "user",
      content:
        "A customer ordered two items on 3 March and one arrived damaged. What are their options for a refund " +
        "or a replacement, and how long does each take?",
    },
  ],
  temperature: 0.2,
  max_tokens: 256,
  metadata: { user_id: "bench-user-42" },
});

export const anthropicStreamingRequestBody = JSON.stringify({
  ...JSON.parse(anthropicRequestBody),
  stream: true,
});

const answer =
  "They can choose a full refund for the damaged item, which reaches the original payment method within 5-7 " +
  "business days, or a free replacement, which ships within 2 business days of the return being scanned. " +
  "Either way, they should start a return from the order page and attach a photo of the damage.";

const usage = {
  prompt_tokens: 58,
  completion_tokens: 61,
  total_tokens: 119,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: {
    reasoning_tokens: 0,
    audio_tokens: 0,
    accepted_prediction_tokens: 0,
    rejected_prediction_tokens: 0,
  },
};

const completionBytes = Buffer.from(
  JSON.stringify({
    id: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
    object: "chat.completion",
    created: 1_741_569_952,
    model: "gpt-4o-mini-2024-07-18",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: answer, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage,
    service_tier: "default",
    system_fingerprint: "fp_06737a9306",
  }),
);

function streamChunk(delta: Record<string, unknown>, finishReason: string | null): string {
  return `data: ${JSON.stringify({
    id: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
    object: "chat.completion.chunk",
    created: 1_741_569_952,
    model: "gpt-4o-mini-2024-07-18",
    service_tier: "default",
    system_fingerprint: "fp_06737a9306",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    usage: null,
  })}\n\n`;
}

const answerWords = answer.split(/(?<= )/);
const contentPerChunk = Math.ceil(answerWords.length / 6);
/** The SSE events of one streamed answer: a role chunk, six content chunks, a finish chunk, usage, [DONE]. */
export const streamEvents: readonly string[] = [
  streamChunk({ role: "assistant", content: "", refusal: null }, null),
  ...Array.from({ length: 6 }, (_, index) =>
    streamChunk(
      { content: answerWords.slice(index * contentPerChunk, (index + 1) * contentPerChunk).join("") },
      null,
    ),
  ),
  streamChunk({}, "stop"),
  `data: ${JSON.stringify({
    id: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
    object: "chat.completion.chunk",
    created: 1_741_569_952,
    model: "gpt-4o-mini-2024-07-18",
    choices: [],
    usage,
  })}\n\n`,
  "data: [DONE]\n\n",
];

/** A paced stream: `contentChunks` content events `gapMs` apart, the first one at once. */
export interface StreamPacing {
  readonly contentChunks: number;
  readonly gapMs: number;
}

/**
 * The SSE events of one paced answer, grouped by when they are written: the role and first content chunk at
 * once, then one content chunk per step, the finish, usage and `[DONE]` with the last.
 */
export function pacedStreamWrites(contentChunks: number): string[] {
  const wordsBefore = (index: number) => Math.floor((index * answerWords.length) / contentChunks);
  const contents = Array.from({ length: contentChunks }, (_, index) =>
    streamChunk({ content: answerWords.slice(wordsBefore(index), wordsBefore(index + 1)).join("") }, null),
  );
  const [first = "", ...rest] = contents;
  const closing = streamEvents.slice(-3).join("");
  if (rest.length === 0) return [`${streamEvents[0]}${first}${closing}`];
  return [`${streamEvents[0]}${first}`, ...rest.slice(0, -1), `${rest.at(-1)}${closing}`];
}

/** Writes `writes` on a fixed schedule from the first (write i at i × gapMs), stopping if the client leaves. */
function writePaced(response: ServerResponse, writes: readonly string[], gapMs: number): void {
  const began = performance.now();
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  const step = () => {
    if (response.destroyed) return;
    const write = writes[next];
    if (write === undefined) return;
    next += 1;
    if (next === writes.length) {
      response.end(write);
      return;
    }
    response.write(write);
    timer = setTimeout(step, Math.max(0, began + next * gapMs - performance.now()));
  };
  response.once("close", () => clearTimeout(timer));
  step();
}

function handle(request: IncomingMessage, response: ServerResponse, pacing: StreamPacing | undefined): void {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    if (request.method !== "POST" || request.url !== "/v1/chat/completions") {
      response.writeHead(404, { "content-type": "application/json" });
      response.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
      return;
    }
    let body: { stream?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { stream?: unknown };
    } catch {
      response.writeHead(400, { "content-type": "application/json" });
      response.end('{"error":{"message":"invalid JSON","type":"invalid_request_error"}}');
      return;
    }
    if (body.stream === true) {
      response.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
      });
      if (pacing !== undefined) {
        writePaced(response, pacedStreamWrites(pacing.contentChunks), pacing.gapMs);
        return;
      }
      for (const event of streamEvents) response.write(event);
      response.end();
      return;
    }
    response.writeHead(200, {
      "content-type": "application/json",
      "content-length": completionBytes.byteLength,
      "openai-processing-ms": "412",
      "x-request-id": "req_4f6a2c1d9e8b7a6f5e4d3c2b1a098765",
    });
    response.end(completionBytes);
  });
}

/**
 * An OpenAI-compatible upstream with a fixed answer and no think time, so only transport and proxy cost show.
 * With `pacing`, streams come at a fixed pace instead, for time to first token and inter-chunk gaps.
 */
export async function startMockUpstream(
  port = 0,
  pacing?: StreamPacing,
): Promise<{ server: Server; port: number }> {
  const server = createServer({ keepAlive: true }, (request, response) => handle(request, response, pacing));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}
