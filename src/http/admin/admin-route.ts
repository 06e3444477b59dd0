import type { z } from "zod";
import type { KeyService } from "../../control/key-service.js";
import type { LeverService } from "../../control/lever-service.js";
import type { Principal } from "../../control/principal.js";
import type { AdminPermission } from "../../control/role-permissions.js";
import type { TenancyService } from "../../control/tenancy-service.js";
import type { UsageReport, UsageReportQuery } from "../../control/usage-report.js";
import type { KeyAttribution } from "../../core/key-attribution.js";
import type { RequestLogStore } from "../../core/ports/request-log-store.js";

/** What admin handlers get to work with: services scoped to the caller, built per request. */
export interface AdminServices {
  keys(principal: Principal): KeyService;
  tenancy(principal: Principal): TenancyService;
  levers(principal: Principal): LeverService;
  /** Aggregates the request log; the route confines the query to what the caller may see. */
  usageReport(query: UsageReportQuery): Promise<UsageReport>;
  /** Reads the request log; only organisation-wide roles hold `requests.read`. */
  readonly requestLogs: Pick<RequestLogStore, "query" | "get">;
}

/**
 * A handler result sent as-is with its content type instead of as JSON (CSV exports). Only routes that declare
 * `textContentType` may answer one; the registry refuses it from any other.
 */
export class AdminTextResponse {
  readonly contentType: string;
  readonly body: string;
  /** Extra response headers (e.g. the next page's cursor, which a CSV body has no place for). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(contentType: string, body: string, headers: Readonly<Record<string, string>> = {}) {
    this.contentType = contentType;
    this.body = body;
    this.headers = headers;
  }
}

export interface AdminRequest<Params, Query, Body> {
  readonly principal: Principal;
  /** The calling key's team, project and user (all null for the master key). */
  readonly attribution: KeyAttribution;
  readonly params: Params;
  readonly query: Query;
  readonly body: Body;
  readonly services: AdminServices;
}

type AnyObjectSchema = z.ZodObject;

/**
 * One admin API route as data: the OpenAPI description at `/admin/openapi.json` and the Fastify route are both
 * built from it, so they cannot drift. `permission` null means any admin role; the data-plane keys (no role) are
 * always refused.
 */
export interface AdminRouteDefinition<
  Params extends AnyObjectSchema,
  Query extends AnyObjectSchema,
  Body extends z.ZodType,
  Response extends z.ZodType,
> {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Fastify syntax, under `/admin/v1`: `/admin/v1/teams/:teamId`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly permission: AdminPermission | null;
  readonly params?: Params;
  readonly query?: Query;
  readonly body?: Body;
  readonly response: Response;
  /** 200 unless given (201 for creations). */
  readonly status?: 200 | 201;
  /** A content type the route may answer instead of JSON, with an `AdminTextResponse` (e.g. `text/csv`). */
  readonly textContentType?: string;
  handle(
    request: AdminRequest<z.output<Params>, z.output<Query>, z.output<Body>>,
  ): Promise<z.input<Response> | AdminTextResponse>;
}

/** A route with its types erased, as the registry and the OpenAPI builder hold it. */
export interface AdminRoute {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly permission: AdminPermission | null;
  readonly params: AnyObjectSchema | undefined;
  readonly query: AnyObjectSchema | undefined;
  readonly body: z.ZodType | undefined;
  readonly response: z.ZodType;
  readonly status: 200 | 201;
  readonly textContentType: string | undefined;
  handle(request: AdminRequest<unknown, unknown, unknown>): Promise<unknown>;
}

export function defineAdminRoute<
  Params extends AnyObjectSchema,
  Query extends AnyObjectSchema,
  Body extends z.ZodType,
  Response extends z.ZodType,
>(definition: AdminRouteDefinition<Params, Query, Body, Response>): AdminRoute {
  return {
    method: definition.method,
    path: definition.path,
    operationId: definition.operationId,
    summary: definition.summary,
    tag: definition.tag,
    permission: definition.permission,
    params: definition.params,
    query: definition.query,
    body: definition.body,
    response: definition.response,
    status: definition.status ?? 200,
    textContentType: definition.textContentType,
    // The registry parses params, query and body with the schemas above before calling, so the types hold.
    handle: (request) =>
      definition.handle(request as AdminRequest<z.output<Params>, z.output<Query>, z.output<Body>>),
  };
}
