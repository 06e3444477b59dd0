import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import secureJson from "secure-json-parse";
import type { GatewayError } from "../core/gateway-error.js";
import { operationDialect, type UpstreamOperation } from "../core/ports/provider-adapter.js";
import { newRequestId } from "../core/request-id.js";
import { bodyTooLarge, emptyBody, invalidJson } from "./fastify-error-mapping.js";
import {
  closeConnection,
  noHeaders,
  type OperationServing,
  serveOperation,
  writeErrorResponse,
} from "./serve-operation.js";

export interface ModelRequestListenerOptions extends OperationServing {
  readonly routes: ReadonlyMap<string, UpstreamOperation>;
  readonly bodyLimitBytes: number;
  /** Fastify's listener: every request that is not a JSON POST to a model route. */
  readonly fallback: RequestListener;
}

/**
 * Serves the model routes straight off Node's `request` event: a JSON POST to one of `routes` is read, parsed
 * and handed to `serveOperation`; anything else (other routes, methods and content types) goes to `fallback`.
 * Measured (ADR 0017): Fastify's routing, request and reply objects and body parser cost about 3 µs of the
 * event loop per request.
 */
export function modelRequestListener(options: ModelRequestListenerOptions): RequestListener {
  return (incoming, response) => {
    const operation = incoming.method === "POST" ? options.routes.get(pathOf(incoming.url)) : undefined;
    if (operation === undefined || !isJsonContentType(incoming.headers["content-type"])) {
      options.fallback(incoming, response);
      return;
    }
    readJsonBody(options, operation, incoming, response, performance.now());
  };
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return "";
  const query = url.indexOf("?");
  return query < 0 ? url : url.slice(0, query);
}

/** The spellings clients send; any other (parameters, case) is left to Fastify's parser. */
function isJsonContentType(value: string | undefined): boolean {
  return (
    value === "application/json" ||
    value === "application/json; charset=utf-8" ||
    value === "application/json; charset=UTF-8"
  );
}

/**
 * Reads the body up to the limit and parses it as Fastify's JSON parser would (`__proto__` and
 * `constructor.prototype` keys refused). A body over the limit is answered 413 with `Connection: close` at
 * once, without reading the rest, as the client may still be sending.
 */
function readJsonBody(
  options: ModelRequestListenerOptions,
  operation: UpstreamOperation,
  incoming: IncomingMessage,
  response: ServerResponse,
  startedAt: number,
): void {
  const requestId = newRequestId();
  const anthropic = operationDialect[operation] === "anthropic";
  const limit = options.bodyLimitBytes;
  const refuse = (error: GatewayError, headers: Readonly<Record<string, string>>) =>
    writeErrorResponse(response, error, anthropic, requestId, headers);
  if (Number(incoming.headers["content-length"]) > limit) {
    refuse(bodyTooLarge(limit), closeConnection);
    return;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > limit) {
      stop();
      refuse(bodyTooLarge(limit), closeConnection);
      return;
    }
    chunks.push(chunk);
  };
  const onEnd = () => {
    stop();
    const text =
      chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8");
    if (text.length === 0) {
      refuse(emptyBody(), noHeaders);
      return;
    }
    let body: unknown;
    try {
      body = secureJson.parse(text, undefined, { protoAction: "error", constructorAction: "error" });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      refuse(invalidJson(reason), noHeaders);
      return;
    }
    serveOperation(options, { operation, body, requestId, startedAt }, incoming, response);
  };
  // The client went away while sending: there is no one to answer.
  const onError = () => stop();
  const stop = () => {
    incoming.off("data", onData);
    incoming.off("end", onEnd);
    incoming.off("error", onError);
  };
  incoming.on("data", onData);
  incoming.on("end", onEnd);
  incoming.on("error", onError);
}
