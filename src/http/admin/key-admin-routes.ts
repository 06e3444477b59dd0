import { type AdminRoute, defineAdminRoute } from "./admin-route.js";
import {
  createKeyBody,
  epochMs,
  key,
  keyParams,
  keysQuery,
  keyView,
  keyWithSecret,
  list,
  rotateKeyBody,
  updateKeyBody,
} from "./admin-schemas.js";

export const keyAdminRoutes: readonly AdminRoute[] = [
  defineAdminRoute({
    method: "GET",
    path: "/admin/v1/keys",
    operationId: "listKeys",
    summary: "Keys the caller may see (developers and viewers: their team's), newest first; never secrets",
    tag: "keys",
    permission: "tenancy.read",
    query: keysQuery,
    response: list(key),
    handle: async ({ principal, services, query }) => {
      const keys = await services.keys(principal).list();
      return {
        data: keys
          .filter((record) => query.teamId === undefined || record.teamId === query.teamId)
          .filter((record) => query.projectId === undefined || record.projectId === query.projectId)
          .map((record) => keyView(record)),
      };
    },
  }),
  defineAdminRoute({
    method: "POST",
    path: "/admin/v1/keys",
    operationId: "createKey",
    summary: "Create a key; the response holds its secret, shown only once",
    tag: "keys",
    permission: "keys.write",
    body: createKeyBody,
    response: keyWithSecret,
    status: 201,
    handle: async ({ principal, services, body }) => {
      const { expiresAt, ...rest } = body;
      const created = await services.keys(principal).create({
        ...rest,
        ...(expiresAt === undefined ? {} : { expiresAt: epochMs(expiresAt) }),
      });
      return { ...keyView(created.record), key: created.secret };
    },
  }),
  defineAdminRoute({
    method: "GET",
    path: "/admin/v1/keys/:keyId",
    operationId: "getKey",
    summary: "One key (never its secret)",
    tag: "keys",
    permission: "tenancy.read",
    params: keyParams,
    response: key,
    handle: async ({ principal, services, params }) =>
      keyView(await services.keys(principal).get(params.keyId)),
  }),
  defineAdminRoute({
    method: "PATCH",
    path: "/admin/v1/keys/:keyId",
    operationId: "updateKey",
    summary: "Change a key's name, project, user, role, allowed models or endpoints, tags or expiry",
    tag: "keys",
    permission: "keys.write",
    params: keyParams,
    body: updateKeyBody,
    response: key,
    handle: async ({ principal, services, params, body }) => {
      const { expiresAt, ...rest } = body;
      const updated = await services.keys(principal).update(params.keyId, {
        ...rest,
        ...(expiresAt === undefined ? {} : { expiresAt: epochMs(expiresAt) }),
      });
      return keyView(updated);
    },
  }),
  defineAdminRoute({
    method: "POST",
    path: "/admin/v1/keys/:keyId/rotate",
    operationId: "rotateKey",
    summary: "Give a key a new secret; the old one keeps working for the grace period",
    tag: "keys",
    permission: "keys.write",
    params: keyParams,
    body: rotateKeyBody,
    response: keyWithSecret,
    handle: async ({ principal, services, params, body }) => {
      const rotated = await services.keys(principal).rotate(params.keyId, body.gracePeriodSeconds * 1000);
      return { ...keyView(rotated.record), key: rotated.secret };
    },
  }),
  defineAdminRoute({
    method: "POST",
    path: "/admin/v1/keys/:keyId/revoke",
    operationId: "revokeKey",
    summary: "Revoke a key for good (idempotent)",
    tag: "keys",
    permission: "keys.write",
    params: keyParams,
    response: key,
    handle: async ({ principal, services, params }) => {
      const revoked = await services.keys(principal).revoke(params.keyId);
      if (revoked === undefined) throw new Error(`key ${params.keyId} vanished while being revoked`);
      return keyView(revoked);
    },
  }),
];
