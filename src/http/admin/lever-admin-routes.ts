import { z } from "zod";
import type { Lever } from "../../core/lever.js";
import { type AdminRoute, defineAdminRoute } from "./admin-route.js";
import { idParam, list } from "./admin-schemas.js";

const durationUnits: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

const lever = z
  .object({
    id: z.string(),
    kind: z.string(),
    params: z.object({
      target: z.string().optional(),
      group: z.string().optional(),
      maxTokens: z.number().optional(),
      firstTokenMs: z.number().optional(),
      totalMs: z.number().optional(),
    }),
    reason: z.string(),
    actor: z.string(),
    createdAt: z.string().meta({ description: "ISO 8601" }),
    expiresAt: z.string().nullable().meta({ description: "ISO 8601; null holds until cleared" }),
  })
  .meta({ id: "Lever" });

const setLeverBody = z
  .object({
    kind: z.string(),
    params: z.record(z.string(), z.unknown()).default({}),
    reason: z.string().min(1),
    expiresIn: z
      .string()
      .regex(/^\d+[smhd]$/, "a duration like 90s, 15m, 2h or 1d")
      .optional()
      .meta({ description: "The lever lapses by itself this long after it is set: 90s, 15m, 2h, 1d." }),
  })
  .strict();

const leverParams = z.object({ leverId: idParam });
const clearQuery = z.object({
  reason: z.string().min(1).meta({ description: "Why the lever is cleared (audited)." }),
});

function leverView(record: Lever): z.input<typeof lever> {
  const { kind, ...params } = record.params;
  return {
    id: record.id,
    kind,
    params,
    reason: record.reason,
    actor: record.actor,
    createdAt: new Date(record.createdAt).toISOString(),
    expiresAt: record.expiresAt === null ? null : new Date(record.expiresAt).toISOString(),
  };
}

function durationMs(text: string): number {
  return Number(text.slice(0, -1)) * (durationUnits[text.slice(-1)] ?? 0);
}

export const leverAdminRoutes: readonly AdminRoute[] = [
  defineAdminRoute({
    method: "GET",
    path: "/admin/v1/levers",
    operationId: "listLevers",
    summary: "Incident levers in force on every node, oldest first",
    tag: "levers",
    permission: "requests.read",
    response: list(lever),
    handle: async ({ principal, services }) => ({
      data: (await services.levers(principal).list()).map(leverView),
    }),
  }),
  defineAdminRoute({
    method: "POST",
    path: "/admin/v1/levers",
    operationId: "setLever",
    summary:
      "Set an incident lever (disable-target, force-fallback, cap-max-tokens, timeout, disable-tools); audited as lever.set",
    tag: "levers",
    permission: "levers.write",
    body: setLeverBody,
    response: lever,
    status: 201,
    handle: async ({ principal, services, body }) => {
      const set = await services.levers(principal).set({
        params: { ...body.params, kind: body.kind },
        reason: body.reason,
        ...(body.expiresIn === undefined ? {} : { expiresInMs: durationMs(body.expiresIn) }),
      });
      return leverView(set);
    },
  }),
  defineAdminRoute({
    method: "DELETE",
    path: "/admin/v1/levers/:leverId",
    operationId: "clearLever",
    summary: "Clear (reverse) an incident lever, with a reason; audited as lever.clear",
    tag: "levers",
    permission: "levers.write",
    params: leverParams,
    query: clearQuery,
    response: lever,
    handle: async ({ principal, services, params, query }) =>
      leverView(await services.levers(principal).clear(params.leverId, query.reason)),
  }),
];
