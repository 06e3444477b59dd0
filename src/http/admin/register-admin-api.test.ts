import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Caller } from "../../gateway/gateway-context.js";
import { type AdminServices, AdminTextResponse, defineAdminRoute } from "./admin-route.js";
import { registerAdminApi } from "./register-admin-api.js";

const asMaster = (): Caller => ({ kind: "master" });

async function served(answer: () => AdminTextResponse | { ok: boolean }, textContentType?: string) {
  const app = Fastify();
  registerAdminApi(app, {
    services: {} as AdminServices,
    authenticate: asMaster,
    afterChange: async () => undefined,
    routes: [
      defineAdminRoute({
        method: "GET",
        path: "/admin/v1/thing",
        operationId: "getThing",
        summary: "a thing",
        tag: "test",
        permission: null,
        response: z.object({ ok: z.boolean() }),
        ...(textContentType === undefined ? {} : { textContentType }),
        handle: async () => answer(),
      }),
    ],
  });
  await app.ready();
  const response = await app.inject({ method: "GET", url: "/admin/v1/thing" });
  await app.close();
  return response;
}

describe("admin route results", () => {
  it("sends a declared text response as-is, with its content type and headers", async () => {
    const response = await served(
      () => new AdminTextResponse("text/csv; charset=utf-8", "a,b\n1,2\n", { "x-next-cursor": "abc" }),
      "text/csv; charset=utf-8",
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.headers["x-next-cursor"]).toBe("abc");
    expect(response.body).toBe("a,b\n1,2\n");
  });

  it("sends other results as JSON", async () => {
    const response = await served(() => ({ ok: true }), "text/csv; charset=utf-8");
    expect(response.headers["content-type"]).toContain("application/json");
    expect(response.json()).toEqual({ ok: true });
  });

  it("refuses a text response the route does not declare", async () => {
    const response = await served(() => new AdminTextResponse("text/csv; charset=utf-8", "a\n"));
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toBe("a\n");
  });
});
