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

function handle(request: IncomingMessage, response: ServerResponse): void {
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

/** An OpenAI-compatible upstream with a fixed answer and no think time, so only transport and proxy cost show. */
export async function startMockUpstream(port = 0): Promise<{ server: Server; port: number }> {
  const server = createServer({ keepAlive: true }, handle);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}
