import { Buffer } from "node:buffer";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import type { SimulatorSettings } from "../../core/gateway-config.js";
import { pause } from "./abortable-wait.js";
import { buildChatChunks } from "./build-chat-chunks.js";
import { parseChatRequest } from "./parse-chat-request.js";
import { randomIdChars } from "./seeded-random.js";
import {
  buildChatCompletion,
  simulateChatCompletion,
  systemFingerprint,
} from "./simulate-chat-completion.js";
import { buildEmbeddingList, parseEmbeddingsRequest } from "./simulate-embeddings.js";
import {
  type ActiveFault,
  pickFault,
  readSimulatorControls,
  type SimulatorControls,
} from "./simulator-controls.js";
import {
  bodyTooLargeBody,
  invalidJsonBody,
  invalidRequestBody,
  invalidUrlBody,
  modelNotFoundBody,
  rateLimitBody,
  serverErrorBody,
} from "./simulator-errors.js";
import type { RequestIssue, WireModel, WireModelList } from "./simulator-wire.js";
import { writeJsonResponse, writeJsonWithFault } from "./write-json-response.js";
import { writeSseStream } from "./write-sse.js";

export interface SimulatorServerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: an ephemeral port. */
  readonly port?: number;
}

export interface SimulatorServer {
  /** Origin without a path, e.g. `http://127.0.0.1:41234`; the API lives under `/v1`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and destroys open connections, ending stalled and paced responses at once. */
  close(): Promise<void>;
}

const BODY_LIMIT_BYTES = 32 * 1024 * 1024;
/** Longer than common client pools keep idle sockets, so benchmarks do not pay for reconnects. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
const MODEL_CREATED = 1_700_000_000;

interface Exchange {
  readonly settings: SimulatorSettings;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Aborted when the response closes: finished, client gone, or server closing. */
  readonly signal: AbortSignal;
  readonly requestId: string;
  readonly startedAt: number;
}

function responseHeaders(exchange: Exchange): OutgoingHttpHeaders {
  return {
    "x-request-id": exchange.requestId,
    "openai-processing-ms": String(Math.round(performance.now() - exchange.startedAt)),
    "openai-version": "2020-10-01",
  };
}

function reply(exchange: Exchange, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  writeJsonResponse(exchange.res, status, body, { ...responseHeaders(exchange), ...headers });
}

function rejectRequest(exchange: Exchange, issue: RequestIssue): void {
  reply(exchange, 400, invalidRequestBody(issue));
}

/** The JSON body, or undefined after a 400/413 was sent. The body is read to the end either way. */
async function readJsonBody(exchange: Exchange): Promise<{ readonly value: unknown } | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of exchange.req) {
    const bytes: Buffer = chunk;
    size += bytes.length;
    if (size <= BODY_LIMIT_BYTES) chunks.push(bytes);
  }
  if (size > BODY_LIMIT_BYTES) {
    reply(exchange, 413, bodyTooLargeBody(BODY_LIMIT_BYTES));
    return undefined;
  }
  try {
    return { value: JSON.parse(Buffer.concat(chunks).toString("utf8")) };
  } catch {
    reply(exchange, 400, invalidJsonBody());
    return undefined;
  }
}

/** Applies latency, then the faults that replace the response; returns the body fault left to apply, if any. */
async function prepareResponse(
  exchange: Exchange,
  controls: SimulatorControls,
  model: string,
): Promise<{ readonly handled: boolean; readonly fault: ActiveFault | undefined }> {
  const fault = pickFault(controls.faults, Math.random);
  await pause(controls.latencyMs, exchange.signal);
  switch (fault?.kind) {
    case "reset":
      // A TCP RST (ECONNRESET at the client), not a clean close.
      exchange.req.socket.resetAndDestroy();
      return { handled: true, fault };
    case "429":
      reply(exchange, 429, rateLimitBody(model, fault.retryAfterMs), {
        "retry-after": String(Math.ceil(fault.retryAfterMs / 1000)),
        "retry-after-ms": String(fault.retryAfterMs),
        "x-ratelimit-limit-requests": "60",
        "x-ratelimit-remaining-requests": "0",
        "x-ratelimit-reset-requests": `${fault.retryAfterMs}ms`,
      });
      return { handled: true, fault };
    case "500":
      reply(exchange, 500, serverErrorBody());
      return { handled: true, fault };
    default:
      return { handled: false, fault };
  }
}

function readControls(exchange: Exchange): SimulatorControls | undefined {
  const controls = readSimulatorControls(exchange.req.headers, exchange.settings);
  if (controls.ok) return controls.value;
  rejectRequest(exchange, controls.issue);
  return undefined;
}

async function handleChatCompletion(exchange: Exchange): Promise<void> {
  const body = await readJsonBody(exchange);
  if (body === undefined) return;
  const request = parseChatRequest(body.value);
  if (!request.ok) return rejectRequest(exchange, request.issue);
  const controls = readControls(exchange);
  if (controls === undefined) return;
  const { handled, fault } = await prepareResponse(exchange, controls, request.value.model);
  if (handled) return;

  const completion = simulateChatCompletion(request.value, { outputTokens: controls.outputTokens });
  const meta = {
    id: `chatcmpl-${randomIdChars(Math.random, 29)}`,
    created: Math.floor(Date.now() / 1000),
    model: request.value.model,
    system_fingerprint: systemFingerprint(request.value.model),
  };
  if (!request.value.stream) {
    const wire = buildChatCompletion(completion, meta);
    return writeJsonWithFault(exchange.res, wire, fault?.kind, responseHeaders(exchange), exchange.signal);
  }
  const frames = buildChatChunks(completion, meta, request.value.includeUsage).map(({ step, chunk }) => ({
    step,
    data: JSON.stringify(chunk),
  }));
  await writeSseStream(exchange.res, frames, fault?.kind, {
    headers: responseHeaders(exchange),
    tokensPerSecond: exchange.settings.tokensPerSecond,
    signal: exchange.signal,
  });
}

async function handleEmbeddings(exchange: Exchange): Promise<void> {
  const body = await readJsonBody(exchange);
  if (body === undefined) return;
  const request = parseEmbeddingsRequest(body.value);
  if (!request.ok) return rejectRequest(exchange, request.issue);
  const controls = readControls(exchange);
  if (controls === undefined) return;
  const { handled, fault } = await prepareResponse(exchange, controls, request.value.model);
  if (handled) return;
  const wire = buildEmbeddingList(request.value, exchange.settings.embeddingDimensions);
  await writeJsonWithFault(exchange.res, wire, fault?.kind, responseHeaders(exchange), exchange.signal);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function modelEntry(id: string): WireModel {
  return { id, object: "model", created: MODEL_CREATED, owned_by: "switchyard-simulator" };
}

async function route(exchange: Exchange): Promise<void> {
  const { req, settings } = exchange;
  const method = req.method ?? "GET";
  const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
  if (method === "POST" && path === "/v1/chat/completions") return handleChatCompletion(exchange);
  if (method === "POST" && path === "/v1/embeddings") return handleEmbeddings(exchange);
  if (method === "GET" && path === "/v1/models") {
    const list: WireModelList = { object: "list", data: settings.models.map(modelEntry) };
    return reply(exchange, 200, list);
  }
  if (method === "GET" && path.startsWith("/v1/models/")) {
    const id = safeDecode(path.slice("/v1/models/".length));
    if (settings.models.includes(id)) return reply(exchange, 200, modelEntry(id));
    return reply(exchange, 404, modelNotFoundBody(id));
  }
  reply(exchange, 404, invalidUrlBody(method, path));
}

async function handleRequest(
  settings: SimulatorSettings,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const controller = new AbortController();
  res.once("close", () => controller.abort());
  const exchange: Exchange = {
    settings,
    req,
    res,
    signal: controller.signal,
    requestId: `req_${randomUUID().replaceAll("-", "")}`,
    startedAt: performance.now(),
  };
  try {
    await route(exchange);
  } catch {
    // An abort means the client or the server left; anything else is our bug, reported as OpenAI would.
    if (controller.signal.aborted) return;
    if (res.headersSent) res.destroy();
    else reply(exchange, 500, serverErrorBody());
  }
}

/**
 * Starts the simulator: an OpenAI-compatible HTTP server (`POST /v1/chat/completions`, `POST /v1/embeddings`,
 * `GET /v1/models[/{id}]`). Control headers for chat completions and embeddings, all optional:
 * - `x-simulator-fault: <kind>[;rate=<0..1>][;retry-after-ms=<n>], …` or `none`: replaces `settings.faults`.
 * - `x-simulator-latency-ms: <n>`: replaces `settings.latencyMs`.
 * - `x-simulator-output-tokens: <n>`: exact length of text answers (still capped by `max_completion_tokens`).
 */
export async function startSimulatorServer(
  settings: SimulatorSettings,
  options: SimulatorServerOptions = {},
): Promise<SimulatorServer> {
  const host = options.host ?? "127.0.0.1";
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void handleRequest(settings, req, res);
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : (options.port ?? 0);
  const reachableHost = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  const url = `http://${reachableHost.includes(":") ? `[${reachableHost}]` : reachableHost}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
