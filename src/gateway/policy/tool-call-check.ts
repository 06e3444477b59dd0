import { Ajv, type ValidateFunction } from "ajv";
import type { ToolPolicyConfig } from "../../core/gateway-config.js";
import { GatewayError } from "../../core/gateway-error.js";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Compiled validators by schema text: tools repeat across requests, and compiling costs far more than validating. */
const validatorCache = new Map<string, ValidateFunction | Error>();
const validatorCacheLimit = 256;
// `strict: false`: clients send schemas written for OpenAI, with keywords Ajv's strict mode rejects.
const ajv = new Ajv({ strict: false, allErrors: false });

function validatorFor(schema: unknown): ValidateFunction | Error {
  const text = JSON.stringify(schema);
  let validator = validatorCache.get(text);
  if (validator === undefined) {
    try {
      validator = ajv.compile(isRecord(schema) ? schema : {});
    } catch (error) {
      validator = error instanceof Error ? error : new Error(String(error));
    }
    if (validatorCache.size >= validatorCacheLimit) {
      const oldest = validatorCache.keys().next();
      if (oldest.done !== true) validatorCache.delete(oldest.value);
    }
    validatorCache.set(text, validator);
  }
  return validator;
}

/** The `parameters` schema of each function tool the request declared, by name. */
export function declaredToolSchemas(body: Record<string, unknown>): ReadonlyMap<string, unknown> {
  const schemas = new Map<string, unknown>();
  if (!Array.isArray(body.tools)) return schemas;
  for (const tool of body.tools) {
    if (!isRecord(tool) || !isRecord(tool.function) || typeof tool.function.name !== "string") continue;
    schemas.set(tool.function.name, tool.function.parameters ?? {});
  }
  return schemas;
}

/** The `input_schema` of each client tool an Anthropic Messages request declared, by name (server tools have none). */
export function declaredAnthropicToolSchemas(body: Record<string, unknown>): ReadonlyMap<string, unknown> {
  const schemas = new Map<string, unknown>();
  if (!Array.isArray(body.tools)) return schemas;
  for (const tool of body.tools) {
    if (!isRecord(tool) || typeof tool.name !== "string" || tool.input_schema === undefined) continue;
    schemas.set(tool.name, tool.input_schema);
  }
  return schemas;
}

/** Throws unless every tool rule in scope allows the tool. */
export function checkToolAllowed(rules: readonly ToolPolicyConfig[], name: string): void {
  if (rules.every((rule) => rule.allow.includes(name))) return;
  throw new GatewayError(
    "GW_ERR_POLICY_TOOL_NOT_ALLOWED",
    `The model called the tool '${name}', which is not in the tool allowlist for this request.`,
  );
}

/**
 * When a rule in scope asks for it, checks a call's arguments (a JSON text) against the `parameters` schema the
 * request declared for the tool. The error says which keyword failed where, never the argument values.
 */
export function checkToolArguments(
  rules: readonly ToolPolicyConfig[],
  schemas: ReadonlyMap<string, unknown>,
  name: string,
  argumentsText: string,
): void {
  if (!rules.some((rule) => rule.validateArguments)) return;
  const fail = (reason: string) =>
    new GatewayError(
      "GW_ERR_POLICY_TOOL_ARGUMENTS_INVALID",
      `The model called the tool '${name}' with arguments that ${reason}.`,
    );
  if (!schemas.has(name)) throw fail("cannot be checked: the request declares no such tool");
  let parsed: unknown;
  try {
    parsed = JSON.parse(argumentsText);
  } catch {
    throw fail("are not valid JSON");
  }
  const validator = validatorFor(schemas.get(name));
  if (validator instanceof Error) throw fail("cannot be checked: its parameters schema is invalid");
  if (validator(parsed)) return;
  const first = validator.errors?.[0];
  const where = first?.instancePath === "" || first === undefined ? "the arguments" : first.instancePath;
  throw fail(`do not match its parameters schema (${where} ${first?.message ?? "is invalid"})`);
}

/** The `parameters` schema of each function tool a Responses request declared (flat: `{type, name, parameters}`). */
export function declaredResponsesToolSchemas(body: Record<string, unknown>): ReadonlyMap<string, unknown> {
  const schemas = new Map<string, unknown>();
  if (!Array.isArray(body.tools)) return schemas;
  for (const tool of body.tools) {
    if (!isRecord(tool) || tool.type !== "function" || typeof tool.name !== "string") continue;
    schemas.set(tool.name, tool.parameters ?? {});
  }
  return schemas;
}
