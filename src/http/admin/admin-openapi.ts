import { z } from "zod";
import type { AdminRoute } from "./admin-route.js";
import { errorResponse } from "./admin-schemas.js";

type JsonSchema = Record<string, unknown>;

/** The admin API's version: `/admin/v1` breaks nothing within 1.x. */
export const adminApiVersion = "1.0.0";

const errorStatuses: Readonly<Record<string, string>> = {
  "400": "Invalid body, path or query (GW_ERR_ADMIN_INVALID_REQUEST, GW_ERR_REQUEST_INVALID_JSON)",
  "401": "No key, or an unknown, revoked or expired one (GW_ERR_AUTH_*)",
  "403": "The key's role may not do this, or not to this target (GW_ERR_ADMIN_FORBIDDEN)",
  "404": "No such object visible to the caller (GW_ERR_ADMIN_NOT_FOUND)",
  "409": "Conflicts with what is stored (GW_ERR_ADMIN_CONFLICT)",
};

/**
 * The OpenAPI 3.1 description of the admin API, generated from the same route definitions and zod schemas
 * that serve and validate it (zod's JSON Schema output is draft 2020-12, OpenAPI 3.1's dialect).
 */
export function buildAdminOpenApi(routes: readonly AdminRoute[]): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  const components: Record<string, JsonSchema> = {};
  const schemaOf = (schema: z.ZodType, io: "input" | "output"): JsonSchema => {
    const generated = z.toJSONSchema(schema, {
      target: "draft-2020-12",
      io,
      unrepresentable: "any",
    }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    return hoistDefinitions(generated, components);
  };

  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, "{$1}");
    const parameters = [
      ...parametersOf(route.params, "path", schemaOf),
      ...parametersOf(route.query, "query", schemaOf),
    ];
    const responses: Record<string, unknown> = {
      [String(route.status)]: {
        description: route.summary,
        content: {
          "application/json": { schema: schemaOf(route.response, "output") },
          ...(route.textContentType === undefined
            ? {}
            : { [route.textContentType]: { schema: { type: "string" } } }),
        },
      },
    };
    for (const [status, description] of Object.entries(errorStatuses)) {
      responses[status] = {
        description,
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      };
    }
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      "x-switchyard-permission": route.permission ?? "any admin role",
      ...(parameters.length === 0 ? {} : { parameters }),
      ...(route.body === undefined
        ? {}
        : {
            requestBody: {
              required: true,
              content: { "application/json": { schema: schemaOf(route.body, "input") } },
            },
          }),
      responses,
    };
  }
  // `errorResponse` has an id, so generating it files the schema under components.schemas.Error.
  schemaOf(errorResponse, "output");

  return {
    openapi: "3.1.0",
    info: {
      title: "Switchyard admin API",
      version: adminApiVersion,
      description:
        "Teams, projects, virtual keys and access. Authenticate with `Authorization: Bearer <key>`: the master " +
        "key, or a virtual key with a role. Errors are OpenAI error objects with GW_ERR_* codes.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
    },
  };
}

function parametersOf(
  schema: z.ZodObject | undefined,
  location: "path" | "query",
  schemaOf: (schema: z.ZodType, io: "input" | "output") => JsonSchema,
): unknown[] {
  if (schema === undefined) return [];
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: location,
    required: location === "path" || !(field as z.ZodType).safeParse(undefined).success,
    schema: schemaOf(field as z.ZodType, "input"),
  }));
}

/** Moves `$defs` (named schemas from `.meta({ id })`) into `components.schemas` and points refs there. */
function hoistDefinitions(
  generated: JsonSchema & { $defs?: Record<string, JsonSchema> },
  components: Record<string, JsonSchema>,
): JsonSchema {
  const { $defs, $schema: _dialect, ...schema } = generated;
  for (const [name, definition] of Object.entries($defs ?? {})) components[name] = rewriteRefs(definition);
  return rewriteRefs(schema);
}

function rewriteRefs<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/')) as T;
}
