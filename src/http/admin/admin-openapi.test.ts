import { Ajv2020 } from "ajv/dist/2020.js";
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { GatewayError } from "../../core/gateway-error.js";
import type { AdminServices } from "./admin-route.js";
import { adminRoutes } from "./admin-routes.js";
import { registerAdminApi } from "./register-admin-api.js";

const httpMethods = ["get", "post", "patch", "delete", "put"];

async function servedAdminApi() {
  const app = Fastify();
  const registered: string[] = [];
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method !== "HEAD" && route.url.startsWith("/admin/v1/")) registered.push(`${method} ${route.url}`);
    }
  });
  const unused = () => {
    throw new Error("no service in this test");
  };
  registerAdminApi(app, {
    services: { keys: unused, tenancy: unused, levers: unused } as unknown as AdminServices,
    authenticate: () => {
      throw new GatewayError("GW_ERR_AUTH_MISSING_KEY", "no key");
    },
    afterChange: async () => undefined,
  });
  await app.ready();
  const response = await app.inject({ method: "GET", url: "/admin/openapi.json" });
  await app.close();
  return { registered, response, document: response.json() as OpenApiDocument };
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; "x-switchyard-permission": string }>>;
  components: { schemas: Record<string, unknown> };
}

describe("/admin/openapi.json", () => {
  it("is served without a key as OpenAPI 3.1 JSON", async () => {
    const { response, document } = await servedAdminApi();
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("application/json");
    expect(document.openapi).toBe("3.1.0");
  });

  it("describes exactly the routes Fastify serves under /admin/v1, method for method", async () => {
    const { registered, document } = await servedAdminApi();
    const described = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((method) => httpMethods.includes(method))
        .map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`),
    );
    expect(described.sort()).toEqual(registered.sort());
    expect(registered).toHaveLength(adminRoutes.length);
  });

  it("names each operation's permission, and every schema compiles as JSON Schema 2020-12 with resolvable refs", async () => {
    const { document } = await servedAdminApi();
    for (const route of adminRoutes) {
      const operation = document.paths[route.path.replace(/:(\w+)/g, "{$1}")]?.[route.method.toLowerCase()];
      expect(operation?.operationId).toBe(route.operationId);
      expect(operation?.["x-switchyard-permission"]).toBe(route.permission ?? "any admin role");
    }
    const schemas = JSON.parse(
      JSON.stringify(document.components.schemas).replaceAll("#/components/schemas/", "#/$defs/"),
    ) as Record<string, object>;
    const text = JSON.stringify(document.paths);
    for (const [, name] of text.matchAll(/"#\/components\/schemas\/(\w+)"/g)) {
      expect(Object.keys(schemas)).toContain(name);
    }
    const ajv = new Ajv2020({ strict: true, formats: { "date-time": true } });
    ajv.addKeyword("x-switchyard-permission");
    for (const [name, schema] of Object.entries(schemas)) {
      expect(() => ajv.compile({ ...schema, $defs: schemas }), name).not.toThrow();
    }
  });
});
