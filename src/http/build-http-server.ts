import { createServer } from "node:http";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { GatewayError } from "../core/gateway-error.js";
import type { UpstreamOperation } from "../core/ports/provider-adapter.js";
import { newRequestId } from "../core/request-id.js";
import type { Gateway } from "../gateway/gateway.js";
import type { GatewayMetrics } from "../gateway/gateway-metrics.js";
import { type AdminApiDependencies, registerAdminApi } from "./admin/register-admin-api.js";
import { fromFastifyError } from "./fastify-error-mapping.js";
import { modelRequestListener } from "./model-request-listener.js";
import { type OperationServing, serveOperation, writeErrorResponse } from "./serve-operation.js";

export interface HttpServerDependencies {
  readonly gateway: Gateway;
  readonly metrics: GatewayMetrics;
  readonly bodyLimitBytes: number;
  /** Resolves when storage answers; `/readyz` reports 503 when it rejects. */
  readonly checkReadiness: () => Promise<void>;
  readonly onError: (error: unknown, requestId: string) => void;
  /** The admin API (`/admin/v1`); absent, those routes answer 404. */
  readonly admin?: Omit<AdminApiDependencies, "authenticate">;
}

/** The client routes of each operation (a test checks docs/providers.md names every one). */
export const operationRoutes: readonly [string, UpstreamOperation][] = [
  ["/v1/chat/completions", "chat.completions"],
  ["/chat/completions", "chat.completions"],
  ["/v1/embeddings", "embeddings"],
  ["/embeddings", "embeddings"],
  ["/v1/messages", "messages"],
  ["/v1/messages/count_tokens", "messages.count_tokens"],
  ["/v1/responses", "responses"],
  ["/responses", "responses"],
];

/**
 * Whether a request is on the Anthropic-compatible surface: `/v1/messages…`, or `/v1/models…` asked by an
 * Anthropic client (it always sends `anthropic-version`). Its answers and errors use Anthropic's shapes.
 */
function speaksAnthropic(request: FastifyRequest): boolean {
  return (
    request.url.startsWith("/v1/messages") ||
    (request.url.startsWith("/v1/models") && request.headers["anthropic-version"] !== undefined)
  );
}

/**
 * The HTTP surface: OpenAI- and Anthropic-compatible routes, health, readiness and metrics. Errors leave in the
 * route's dialect (Anthropic error objects under `/v1/messages`, OpenAI error objects elsewhere).
 */
export function buildHttpServer(dependencies: HttpServerDependencies): FastifyInstance {
  const { gateway, bodyLimitBytes } = dependencies;
  // From `close()` on, model requests still arriving on open connections get GW_ERR_SHUTTING_DOWN and
  // `Connection: close`, while the ones in flight finish.
  const closing = { now: false };
  const serving: OperationServing = { gateway, closing, onError: dependencies.onError };
  const app = Fastify({
    logger: false,
    bodyLimit: bodyLimitBytes,
    // Fastify's own 503 while closing is not in the caller's dialect; `closing` answers instead.
    return503OnClosing: false,
    genReqId: () => newRequestId(),
    // JSON POSTs to the model routes are served before Fastify's router (ADR 0017); the rest reaches Fastify.
    serverFactory: (fastifyListener) => {
      const server = createServer(
        modelRequestListener({
          ...serving,
          routes: new Map(operationRoutes),
          bodyLimitBytes,
          fallback: fastifyListener,
        }),
      );
      // Fastify's own defaults for the servers it creates.
      server.keepAliveTimeout = 72_000;
      server.requestTimeout = 0;
      return server;
    },
  });
  app.addHook("preClose", (done) => {
    closing.now = true;
    done();
  });

  app.setErrorHandler((error, request, reply) => {
    const failure = fromFastifyError(error, bodyLimitBytes);
    if (failure.code === "GW_ERR_GATEWAY_INTERNAL") dependencies.onError(error, request.id);
    sendError(reply, failure);
  });
  app.setNotFoundHandler((request, reply) => {
    sendError(
      reply,
      new GatewayError(
        "GW_ERR_ROUTE_NOT_FOUND",
        `No route for ${request.method} ${request.url.split("?")[0]}.`,
      ),
    );
  });

  for (const [path, operation] of operationRoutes) {
    // Reached by what the model request listener leaves to Fastify (other content types) and by `inject`.
    app.post(path, (request, reply) => {
      reply.hijack();
      const startedAt = performance.now() - reply.elapsedTime;
      serveOperation(
        serving,
        { operation, body: request.body, requestId: request.id, startedAt },
        request.raw,
        reply.raw,
      );
    });
  }

  const modelsFor = (request: FastifyRequest) =>
    gateway.listModels(gateway.authenticate(request.headers), AbortSignal.timeout(10_000));
  app.get("/v1/models", async (request, reply) => {
    const names = await modelsFor(request);
    reply.header("x-request-id", request.id);
    if (speaksAnthropic(request)) {
      return {
        data: names.map(anthropicModelObject),
        has_more: false,
        first_id: names[0] ?? null,
        last_id: names.at(-1) ?? null,
      };
    }
    return { object: "list", data: names.map(modelObject) };
  });
  app.get<{ Params: { model: string } }>("/v1/models/:model", async (request, reply) => {
    const names = await modelsFor(request);
    if (!names.includes(request.params.model)) {
      throw new GatewayError(
        "GW_ERR_MODEL_NOT_FOUND",
        `The model '${request.params.model}' does not exist.`,
        {
          param: "model",
        },
      );
    }
    reply.header("x-request-id", request.id);
    return speaksAnthropic(request)
      ? anthropicModelObject(request.params.model)
      : modelObject(request.params.model);
  });

  if (dependencies.admin !== undefined) {
    registerAdminApi(app, {
      ...dependencies.admin,
      authenticate: (headers) => gateway.authenticate(headers),
    });
  }

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) => {
    try {
      await dependencies.checkReadiness();
      return { status: "ready" };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      sendError(reply, new GatewayError("GW_ERR_STORAGE_UNAVAILABLE", `Storage is not reachable: ${reason}`));
      return reply;
    }
  });
  app.get("/metrics", async (_request, reply) => {
    reply.header("content-type", dependencies.metrics.registry.contentType);
    return dependencies.metrics.registry.metrics();
  });
  return app;
}

/**
 * Fastify's errors (body parsing, unknown routes, readiness) leave through the same writer as model requests'
 * errors; headers Fastify set before the error (`Connection: close` after a body it stopped reading) are kept.
 */
function sendError(reply: FastifyReply, error: GatewayError): FastifyReply {
  const earlier: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (typeof value === "string") earlier[name] = value;
  }
  reply.hijack();
  writeErrorResponse(reply.raw, error, speaksAnthropic(reply.request), reply.request.id, earlier);
  return reply;
}

function modelObject(id: string) {
  return { id, object: "model", created: 0, owned_by: "switchyard" };
}

/** Anthropic's model object (https://docs.anthropic.com/en/api/models-list); Switchyard knows no release dates. */
function anthropicModelObject(id: string) {
  return { type: "model", id, display_name: id, created_at: "1970-01-01T00:00:00Z" };
}
