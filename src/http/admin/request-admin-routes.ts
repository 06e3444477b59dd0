import { z } from "zod";
import { csvHeader, formatCsvRow } from "../../control/format-log-csv.js";
import { decodeCursor, encodeCursor, isTagPair } from "../../control/request-log-cursor.js";
import { GatewayError } from "../../core/gateway-error.js";
import type { RequestLogQuery } from "../../core/ports/request-log-store.js";
import { type AdminRoute, AdminTextResponse, defineAdminRoute } from "./admin-route.js";

const attempt = z
  .object({
    target: z.string(),
    status: z.number().nullable(),
    errorCode: z.string().nullable(),
    durationMs: z.number(),
  })
  .meta({ id: "RequestAttempt" });

const requestRecord = z
  .object({
    id: z.string(),
    createdAt: z.number().meta({ description: "Epoch milliseconds when the request arrived." }),
    keyId: z.string().nullable(),
    endpoint: z.string(),
    modelRequested: z.string().nullable(),
    target: z.string().nullable(),
    status: z.number(),
    stream: z.boolean(),
    latencyMs: z.number(),
    ttftMs: z.number().nullable(),
    overheadMs: z.number(),
    inputTokens: z.number().nullable(),
    outputTokens: z.number().nullable(),
    cachedTokens: z.number().nullable(),
    errorCode: z.string().nullable(),
    attempts: z.number(),
    policy: z
      .string()
      .nullable()
      .optional()
      .meta({ description: "Policy actions as counts per detector and action; never a detected value." }),
    attemptPath: z.string().nullable().optional(),
    endUser: z.string().nullable().optional().meta({ description: "SHA-256 prefix of the end user." }),
    cacheWriteTokens: z.number().nullable().optional(),
    reasoningTokens: z.number().nullable().optional(),
    usageEstimated: z.boolean().optional(),
    costUsd: z.number().nullable().optional(),
    cacheSavingsUsd: z.number().nullable().optional(),
    priceVersion: z.string().nullable().optional(),
    team: z.string().nullable().optional(),
    project: z.string().nullable().optional(),
    tags: z.string().nullable().optional(),
    traceId: z.string().nullable().optional(),
    attemptDetails: z.array(attempt).readonly().nullable().optional(),
    warnings: z.string().nullable().optional(),
  })
  .meta({ id: "RequestLogRecord" });

const requestPage = z
  .object({
    data: z.array(requestRecord).readonly(),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "Pass as `cursor` for the next page; null when this page was the last." }),
  })
  .meta({ id: "RequestLogPage" });

const instant = z
  .string()
  .refine((text) => !Number.isNaN(Date.parse(text)), "an ISO 8601 date or time")
  .transform((text) => Date.parse(text));

const amount = z.coerce.number().refine((value) => Number.isFinite(value) && value >= 0, "a number ≥ 0");

const requestQuery = z.object({
  since: instant.optional().meta({ description: "Arrived at or after (ISO 8601)." }),
  until: instant.optional().meta({ description: "Arrived before (ISO 8601)." }),
  status: z
    .string()
    .regex(/^[1-5](\d\d|xx)$/, "an HTTP status (429) or a class (5xx)")
    .optional()
    .meta({ description: "An exact status (429) or a class (5xx)." }),
  keyId: z.string().optional(),
  team: z.string().optional().meta({ description: "The calling key's team name at request time." }),
  project: z.string().optional(),
  model: z.string().optional().meta({ description: "The public model name asked for." }),
  target: z
    .string()
    .optional()
    .meta({ description: "`provider/upstream-model` that served or last failed." }),
  minLatencyMs: amount.optional(),
  minCostUsd: amount.optional().meta({ description: "Priced requests costing at least this (USD)." }),
  tag: z
    .string()
    .refine(isTagPair, "one name=value pair")
    .optional()
    .meta({ description: "An attribution tag the request carried, `name=value`." }),
  endUser: z.string().optional().meta({ description: "The hashed end user, as in `endUser`." }),
  traceId: z
    .string()
    .regex(/^[0-9a-fA-F]{32}$/, "32 hex digits")
    .transform((text) => text.toLowerCase())
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z
    .string()
    .optional()
    .meta({ description: "The previous page's `nextCursor`: continues after its last row." }),
  format: z.enum(["json", "csv"]).default("json"),
});

const requestParams = z.object({ id: z.string().min(1) });

export const requestAdminRoutes: readonly AdminRoute[] = [
  defineAdminRoute({
    method: "GET",
    path: "/admin/v1/requests",
    operationId: "listRequests",
    summary:
      "Request-log rows, newest first, filtered and paged by cursor; JSON or CSV (`format=csv`), as `switchyard logs query`",
    tag: "requests",
    permission: "requests.read",
    query: requestQuery,
    response: requestPage,
    textContentType: "text/csv; charset=utf-8",
    handle: async ({ services, query }) => {
      const status = query.status;
      const filter: RequestLogQuery = {
        ...(query.since === undefined ? {} : { sinceMs: query.since }),
        ...(query.until === undefined ? {} : { untilMs: query.until }),
        ...(status === undefined
          ? {}
          : status.endsWith("xx")
            ? { statusClass: Number(status[0]) }
            : { status: Number(status) }),
        ...(query.keyId === undefined ? {} : { keyId: query.keyId }),
        ...(query.team === undefined ? {} : { team: query.team }),
        ...(query.project === undefined ? {} : { project: query.project }),
        ...(query.model === undefined ? {} : { model: query.model }),
        ...(query.target === undefined ? {} : { target: query.target }),
        ...(query.minLatencyMs === undefined ? {} : { minLatencyMs: query.minLatencyMs }),
        ...(query.minCostUsd === undefined ? {} : { minCostUsd: query.minCostUsd }),
        ...(query.tag === undefined ? {} : { tag: query.tag }),
        ...(query.endUser === undefined ? {} : { endUser: query.endUser }),
        ...(query.traceId === undefined ? {} : { traceId: query.traceId }),
        ...(query.cursor === undefined ? {} : { after: cursorOf(query.cursor) }),
        limit: query.limit,
      };
      const rows = await services.requestLogs.query(filter);
      const last = rows.at(-1);
      const nextCursor = rows.length === query.limit && last !== undefined ? encodeCursor(last) : null;
      if (query.format === "csv") {
        // The next page's cursor cannot ride in the CSV body; it goes in a header instead.
        return new AdminTextResponse(
          "text/csv; charset=utf-8",
          csvHeader() + rows.map(formatCsvRow).join(""),
          nextCursor === null ? {} : { "x-next-cursor": nextCursor },
        );
      }
      return { data: rows, nextCursor };
    },
  }),
  defineAdminRoute({
    method: "GET",
    path: "/admin/v1/requests/:id",
    operationId: "getRequest",
    summary: "One request-log row with its attempts, policy actions and trace id",
    tag: "requests",
    permission: "requests.read",
    params: requestParams,
    response: requestRecord,
    handle: async ({ services, params }) => {
      const row = await services.requestLogs.get(params.id);
      if (row === undefined) throw new GatewayError("GW_ERR_ADMIN_NOT_FOUND", `No request ${params.id}.`);
      return row;
    },
  }),
];

function cursorOf(token: string): ReturnType<typeof decodeCursor> {
  try {
    return decodeCursor(token);
  } catch {
    throw new GatewayError("GW_ERR_ADMIN_INVALID_REQUEST", "Invalid query field 'cursor': not a cursor.", {
      param: "cursor",
    });
  }
}
