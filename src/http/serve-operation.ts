import type { IncomingMessage, ServerResponse } from "node:http";
import { Cancellation } from "../core/cancellation.js";
import { GatewayError } from "../core/gateway-error.js";
import { mergeHeaders } from "../core/merge-headers.js";
import { operationDialect, type UpstreamOperation } from "../core/ports/provider-adapter.js";
import type { Gateway } from "../gateway/gateway.js";
import type { GatewayResponse } from "../gateway/gateway-context.js";
import { anthropicErrorBody } from "./anthropic-error-body.js";
import { openAiErrorBody } from "./openai-error-body.js";

export interface OperationServing {
  readonly gateway: Gateway;
  /** Set once the server begins to close: model requests still arriving then get GW_ERR_SHUTTING_DOWN. */
  readonly closing: { readonly now: boolean };
  /** Told of failures of our own code that no pipeline step turned into a response. */
  readonly onError: (error: unknown, requestId: string) => void;
}

/** One model request whose body has been read and parsed. */
export interface OperationRequest {
  readonly operation: UpstreamOperation;
  readonly body: unknown;
  readonly requestId: string;
  /** `performance.now()` when the request's headers arrived. */
  readonly startedAt: number;
}

/**
 * Runs one model request through the gateway and writes the answer on Node's response: one `writeHead` and
 * `end` for a body, chunk by chunk for a stream (`relayChunks`), the error object of the operation's dialect for
 * an error. Never throws and never rejects; the gateway is told when the response is over (`complete`), also when
 * the client left.
 */
export function serveOperation(
  serving: OperationServing,
  request: OperationRequest,
  incoming: IncomingMessage,
  response: ServerResponse,
): void {
  const anthropic = operationDialect[request.operation] === "anthropic";
  if (serving.closing.now) {
    // Node adds `Connection: close` only to requests that began after `close()`; this one may have begun before,
    // and a kept-alive connection would hold the shutdown open.
    writeErrorResponse(response, shuttingDown(), anthropic, request.requestId, closeConnection);
    return;
  }
  const body = request.body;
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    const invalid = new GatewayError(
      "GW_ERR_REQUEST_INVALID_BODY",
      "The request body must be a JSON object.",
    );
    writeErrorResponse(response, invalid, anthropic, request.requestId, noHeaders);
    return;
  }
  const { gateway } = serving;
  const clientGone = new Cancellation();
  const context = gateway.createContext({
    operation: request.operation,
    headers: incoming.headers,
    body: body as Record<string, unknown>,
    signal: clientGone,
    startedAt: request.startedAt,
    requestId: request.requestId,
  });
  response.once("close", () => {
    const finished = response.writableFinished;
    if (!finished) clientGone.cancel();
    gateway.complete(context, response.statusCode, !finished);
  });
  gateway
    .handle(context)
    .then((answer) => {
      const overheadMs = (performance.now() - context.startedAt - context.upstreamMs).toFixed(3);
      writeAnswer(serving, response, answer, context.requestId, anthropic, overheadMs);
    })
    .catch((error: unknown) => failAfterStart(serving, response, error, request.requestId, anthropic));
}

function writeAnswer(
  serving: OperationServing,
  response: ServerResponse,
  answer: GatewayResponse,
  requestId: string,
  anthropic: boolean,
  overheadMs: string,
): void {
  const headers = mergeHeaders(answer.headers);
  headers["x-request-id"] = requestId;
  // Anthropic's SDK exposes this header as `_request_id`.
  if (anthropic) headers["request-id"] = requestId;
  headers["x-switchyard-overhead-ms"] = overheadMs;
  switch (answer.kind) {
    case "body": {
      const body = answer.body;
      headers["content-length"] = String(
        typeof body === "string" ? Buffer.byteLength(body) : body.byteLength,
      );
      response.writeHead(answer.status, headers);
      response.end(body);
      return;
    }
    case "error":
      writeErrorResponse(response, answer.error, anthropic, requestId, headers);
      return;
    case "stream":
      writeStream(serving, response, answer, headers, requestId, anthropic);
      return;
  }
}

/**
 * Headers are set, not written: they leave with the first event, so a stream that fails before its first event
 * can still be answered with an error status.
 */
function writeStream(
  serving: OperationServing,
  response: ServerResponse,
  answer: Extract<GatewayResponse, { kind: "stream" }>,
  headers: Record<string, string>,
  requestId: string,
  anthropic: boolean,
): void {
  response.statusCode = answer.status;
  headers["cache-control"] = "no-cache";
  for (const name in headers) response.setHeader(name, headers[name] as string);
  relayChunks(answer.stream, response).catch((error: unknown) => {
    // The client left first: what the stream threw after that is the cancellation, not a failure of ours.
    if (response.destroyed && !response.writableFinished) return;
    failAfterStart(serving, response, error, requestId, anthropic);
  });
}

/**
 * Writes each chunk as it comes and ends the response, waiting for `drain` when the client reads slower than the
 * upstream sends. A client that leaves stops the loop; the stream's iterator is then returned, which releases the
 * upstream (the request's cancellation does too). Written out instead of `pipeline(Readable.from(…))`: Node's
 * pipeline aborts an `AbortController` of its own when it finishes, and the `DOMException` that creates, with
 * `Readable.from`'s machinery, made a streamed request cost the serving thread 2–3× the CPU it costs now
 * (bench/README.md, eighth session).
 */
export async function relayChunks(
  stream: AsyncIterable<Uint8Array | string>,
  response: ServerResponse,
): Promise<void> {
  const iterator = stream[Symbol.asyncIterator]();
  let done = false;
  try {
    for (;;) {
      const result = await iterator.next();
      if (result.done === true) {
        done = true;
        break;
      }
      if (response.destroyed) return;
      if (!response.write(result.value)) await drainedOrClosed(response);
    }
    if (!response.destroyed) response.end();
  } finally {
    // Not awaited: with a read still pending, an async generator's return() waits for that read.
    if (!done) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}

function drainedOrClosed(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const settle = () => {
      response.off("drain", settle);
      response.off("close", settle);
      resolve();
    };
    response.on("drain", settle);
    response.on("close", settle);
  });
}

/** A failure after the answer began: an error answer while nothing was sent, else the connection is cut. */
function failAfterStart(
  serving: OperationServing,
  response: ServerResponse,
  error: unknown,
  requestId: string,
  anthropic: boolean,
): void {
  serving.onError(error, requestId);
  if (response.headersSent || response.destroyed) {
    response.destroy();
    return;
  }
  for (const name of response.getHeaderNames()) response.removeHeader(name);
  const internal = new GatewayError(
    "GW_ERR_GATEWAY_INTERNAL",
    `Internal error; quote request id ${requestId}.`,
    { cause: error },
  );
  writeErrorResponse(response, internal, anthropic, requestId, noHeaders);
}

/** An error answer in the caller's dialect, with the catalog code, request id and `Retry-After` when set. */
export function writeErrorResponse(
  response: ServerResponse,
  error: GatewayError,
  anthropic: boolean,
  requestId: string,
  headers: Readonly<Record<string, string>>,
): void {
  const body = anthropic ? anthropicErrorBody(error, requestId) : openAiErrorBody(error);
  const all = mergeHeaders(headers);
  all["x-request-id"] = requestId;
  if (anthropic) all["request-id"] = requestId;
  if (error.retryAfterSeconds !== undefined) all["retry-after"] = String(error.retryAfterSeconds);
  all["content-type"] = "application/json";
  all["content-length"] = String(Buffer.byteLength(body));
  response.writeHead(error.status, all);
  response.end(body);
}

function shuttingDown(): GatewayError {
  return new GatewayError(
    "GW_ERR_SHUTTING_DOWN",
    "Switchyard is shutting down and takes no new requests; retry on a new connection.",
  );
}

/** Extra headers for `writeErrorResponse`: none, or closing a connection whose body was not read to its end. */
export const noHeaders: Readonly<Record<string, string>> = {};
export const closeConnection: Readonly<Record<string, string>> = { connection: "close" };
