import type { FastifyInstance, FastifyRequest } from "fastify";
import type { z } from "zod";
import { masterPrincipal, type Principal, requirePermission } from "../../control/principal.js";
import { GatewayError } from "../../core/gateway-error.js";
import { type KeyAttribution, noAttribution } from "../../core/key-attribution.js";
import type { Caller } from "../../gateway/gateway-context.js";
import { buildAdminOpenApi } from "./admin-openapi.js";
import { type AdminRoute, type AdminServices, AdminTextResponse } from "./admin-route.js";
import { adminRoutes } from "./admin-routes.js";

export interface AdminApiDependencies {
  readonly services: AdminServices;
  /** The caller behind the request's key (throws the catalog's 401 errors), from the gateway's key cache. */
  readonly authenticate: (headers: FastifyRequest["headers"]) => Caller;
  /** Runs after every successful change, before the response: the node's key cache reloads, so it sees it. */
  readonly afterChange: () => Promise<void>;
  /** Default: every route in `admin-routes.ts`. */
  readonly routes?: readonly AdminRoute[];
}

/** `/admin/v1/…` from the route table, and `/admin/openapi.json` describing exactly those routes. */
export function registerAdminApi(app: FastifyInstance, dependencies: AdminApiDependencies): void {
  const routes = dependencies.routes ?? adminRoutes;
  // Built on first request (tens of ms), not at start-up.
  let openApi: string | undefined;
  app.get("/admin/openapi.json", (_request, reply) => {
    openApi ??= JSON.stringify(buildAdminOpenApi(routes));
    return reply.header("content-type", "application/json").send(openApi);
  });

  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.path,
      handler: async (request, reply) => {
        const { principal, attribution } = principalOf(dependencies.authenticate(request.headers));
        if (route.permission !== null) requirePermission(principal, route.permission);
        const result = await route.handle({
          principal,
          attribution,
          params: parsed(route.params, request.params, "path"),
          query: parsed(route.query, request.query, "query"),
          body: parsed(route.body, request.body ?? {}, "body"),
          services: dependencies.services,
        });
        if (route.method !== "GET") await dependencies.afterChange();
        reply.header("x-request-id", request.id);
        if (result instanceof AdminTextResponse) {
          if (result.contentType !== route.textContentType) {
            throw new Error(`${route.operationId} answered ${result.contentType}, which it does not declare`);
          }
          return reply
            .code(route.status)
            .headers({ ...result.headers, "content-type": result.contentType })
            .send(result.body);
        }
        return reply.code(route.status).send(result);
      },
    });
  }
}

/** The master key is admin; a virtual key acts with its role within its team; a key without a role is refused. */
function principalOf(caller: Caller): { principal: Principal; attribution: KeyAttribution } {
  if (caller.kind === "master") return { principal: masterPrincipal, attribution: noAttribution };
  const { key, attribution } = caller;
  if (key.role === null) {
    throw new GatewayError(
      "GW_ERR_ADMIN_FORBIDDEN",
      "This key has no admin role; it may call the model endpoints only.",
    );
  }
  return {
    principal: {
      role: key.role,
      teamId: attribution.teamId,
      keyId: key.id,
      actor: { kind: "virtual-key", id: key.id, display: key.name },
    },
    attribution,
  };
}

function parsed(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (schema === undefined) return {};
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.join(".") ?? "";
  throw new GatewayError(
    "GW_ERR_ADMIN_INVALID_REQUEST",
    `Invalid ${where}${path === "" ? "" : ` field '${path}'`}: ${issue?.message ?? "malformed"}.`,
    { param: path === "" ? where : path },
  );
}
