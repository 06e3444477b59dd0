import { z } from "zod";
import { seesAllTeams } from "../../control/principal.js";
import { parseReportDimensions } from "../../control/usage-report.js";
import { GatewayError } from "../../core/gateway-error.js";
import { type AdminRoute, defineAdminRoute } from "./admin-route.js";

const reportRow = z
  .object({
    group: z.array(z.string()).readonly(),
    requests: z.number(),
    errors: z.number(),
    inputTokens: z.number(),
    outputTokens: z.number(),
    cachedTokens: z.number(),
    cacheWriteTokens: z.number(),
    reasoningTokens: z.number(),
    estimatedRequests: z.number(),
    costUsd: z.number(),
    cacheSavingsUsd: z.number(),
    unpricedRequests: z.number(),
    p95LatencyMs: z.number(),
  })
  .meta({ id: "UsageReportRow" });

const usageReport = z
  .object({
    fromMs: z.number(),
    toMs: z.number(),
    groupBy: z.array(z.string()),
    team: z.string().nullable(),
    rows: z.array(reportRow).readonly(),
    total: reportRow,
    dailyCostUsd: z.array(z.object({ day: z.string(), costUsd: z.number() })).readonly(),
  })
  .meta({ id: "UsageReport" });

const dayMs = 86_400_000;
const instant = z
  .string()
  .refine((text) => !Number.isNaN(Date.parse(text)), "an ISO 8601 date or time")
  .transform((text) => Date.parse(text));

const usageQuery = z.object({
  from: instant.optional().meta({ description: "Start (inclusive), ISO 8601; default 30 days before `to`." }),
  to: instant.optional().meta({ description: "End (exclusive), ISO 8601; default now." }),
  groupBy: z
    .string()
    .default("team,project,model")
    .meta({ description: "Comma-separated: team, project, model, target, key, user, tag, tag:<name>." }),
  teamId: z
    .string()
    .optional()
    .meta({ description: "Only this team's requests (developers and viewers: always their own team)." }),
});

export const reportAdminRoutes: readonly AdminRoute[] = [
  defineAdminRoute({
    method: "GET",
    path: "/admin/v1/reports/usage",
    operationId: "getUsageReport",
    summary:
      "Requests, tokens, cost, cache savings, errors and p95 latency per group, as `switchyard report usage`",
    tag: "reports",
    permission: "reports.read",
    query: usageQuery,
    response: usageReport,
    handle: async ({ principal, services, query }) => {
      let groupBy: ReturnType<typeof parseReportDimensions>;
      try {
        groupBy = parseReportDimensions(query.groupBy);
      } catch (error) {
        throw new GatewayError(
          "GW_ERR_ADMIN_INVALID_REQUEST",
          String((error as Error).message).replace("--group-by", "groupBy"),
          {
            param: "groupBy",
          },
        );
      }
      const toMs = query.to ?? Date.now();
      const fromMs = query.from ?? toMs - 30 * dayMs;
      // Developers and viewers see their own team only; `getTeam` answers 404 for another team.
      const teamId = query.teamId ?? (seesAllTeams(principal) ? undefined : (principal.teamId ?? undefined));
      if (teamId === undefined && !seesAllTeams(principal)) {
        throw new GatewayError("GW_ERR_ADMIN_FORBIDDEN", "A key without a team may not read usage reports.");
      }
      const team =
        teamId === undefined ? undefined : (await services.tenancy(principal).getTeam(teamId)).name;
      const report = await services.usageReport({
        fromMs,
        toMs,
        groupBy,
        ...(team === undefined ? {} : { team }),
      });
      return { ...report, groupBy: [...report.groupBy], team: team ?? null };
    },
  }),
];
