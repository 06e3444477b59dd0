import { pickOne, type RandomSource, randomInt } from "./seeded-random.js";
import { isJsonRecord, type JsonRecord } from "./simulator-wire.js";
import { SIMULATOR_WORDS } from "./simulator-words.js";

/** Past this depth only required properties and minimum array lengths are generated, so recursive schemas end. */
const OPTIONAL_DEPTH = 6;
/** A schema that requires itself forever has no finite instance; give up with null there. */
const HARD_DEPTH = 32;

interface Context {
  readonly random: RandomSource;
  readonly root: JsonRecord;
  readonly depth: number;
}

/**
 * The `arguments` string of a simulated tool call: JSON valid against the function's `parameters`
 * (JSON Schema: type, properties, required, enum, const, items, prefixItems, anyOf/oneOf/allOf, local $ref,
 * numeric bounds and multipleOf, string length and common formats; `pattern` is not honoured).
 */
export function generateToolArguments(parameters: unknown, random: RandomSource): string {
  if (!isJsonRecord(parameters)) return "{}";
  return JSON.stringify(generateJsonValue(parameters, random));
}

export function generateJsonValue(schema: JsonRecord, random: RandomSource): unknown {
  return valueFor(schema, { random, root: schema, depth: 0 });
}

function valueFor(schema: unknown, context: Context): unknown {
  if (!isJsonRecord(schema)) return schema === false ? null : someWords(context.random, 1, 2);
  if (context.depth > HARD_DEPTH) return null;
  const next = { ...context, depth: context.depth + 1 };
  const resolved = resolveSchema(schema, context.root);
  if ("const" in resolved) return resolved.const;
  if (Array.isArray(resolved.enum) && resolved.enum.length > 0) return pickOne(context.random, resolved.enum);
  const branches = resolved.anyOf ?? resolved.oneOf;
  if (Array.isArray(branches) && branches.length > 0) {
    const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = resolved;
    const concrete = branches.filter((branch) => !(isJsonRecord(branch) && branch.type === "null"));
    const branch = pickOne(context.random, concrete.length > 0 ? concrete : branches);
    return valueFor(mergeSchemas(rest, branch, context.root), next);
  }
  switch (schemaType(resolved, context.random)) {
    case "object":
      return objectFor(resolved, next);
    case "array":
      return arrayFor(resolved, next);
    case "integer":
      return integerFor(resolved, context.random);
    case "number":
      return numberFor(resolved, context.random);
    case "boolean":
      return context.random() < 0.5;
    case "null":
      return null;
    default:
      return stringFor(resolved, context.random);
  }
}

/** Follows `$ref` and folds `allOf` into one schema. */
function resolveSchema(schema: JsonRecord, root: JsonRecord): JsonRecord {
  let current = schema;
  for (let hops = 0; typeof current.$ref === "string" && hops < HARD_DEPTH; hops++) {
    const { $ref, ...siblings } = current;
    const target = resolvePointer($ref, root);
    current = isJsonRecord(target) ? { ...target, ...siblings } : siblings;
  }
  if (!Array.isArray(current.allOf)) return current;
  const { allOf, ...rest } = current;
  return allOf.reduce<JsonRecord>((merged, part) => mergeSchemas(merged, part, root), rest);
}

function resolvePointer(ref: string, root: JsonRecord): unknown {
  if (!ref.startsWith("#")) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split("/").slice(1)) {
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    node = isJsonRecord(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined;
  }
  return node;
}

function mergeSchemas(base: JsonRecord, part: unknown, root: JsonRecord): JsonRecord {
  if (!isJsonRecord(part)) return base;
  const extra = resolveSchema(part, root);
  const merged: Record<string, unknown> = { ...base, ...extra };
  if (isJsonRecord(base.properties) && isJsonRecord(extra.properties)) {
    merged.properties = { ...base.properties, ...extra.properties };
  }
  if (Array.isArray(base.required) && Array.isArray(extra.required)) {
    merged.required = [...new Set([...base.required, ...extra.required])];
  }
  return merged;
}

function schemaType(schema: JsonRecord, random: RandomSource): string {
  if (typeof schema.type === "string") return schema.type;
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((type): type is string => typeof type === "string");
    const concrete = types.filter((type) => type !== "null");
    return pickOne(random, concrete.length > 0 ? concrete : types) ?? "string";
  }
  if (isJsonRecord(schema.properties) || Array.isArray(schema.required)) return "object";
  if (schema.items !== undefined || Array.isArray(schema.prefixItems)) return "array";
  if (typeof schema.minimum === "number" || typeof schema.maximum === "number") return "number";
  return "string";
}

function objectFor(schema: JsonRecord, context: Context): Record<string, unknown> {
  const properties = isJsonRecord(schema.properties) ? schema.properties : {};
  const required = new Set(
    Array.isArray(schema.required) ? schema.required.filter((key) => typeof key === "string") : [],
  );
  const result: Record<string, unknown> = {};
  for (const [key, propertySchema] of Object.entries(properties)) {
    const include = required.has(key) || (context.depth <= OPTIONAL_DEPTH && context.random() < 0.5);
    if (include) result[key] = valueFor(propertySchema, context);
  }
  for (const key of required) {
    if (!(key in result)) result[key] = valueFor(true, context);
  }
  return result;
}

function arrayFor(schema: JsonRecord, context: Context): unknown[] {
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
  // `items: false` closes a tuple after its prefix.
  const closedAt = schema.items === false ? prefix.length : Number.POSITIVE_INFINITY;
  const preferred = prefix.length > 0 ? prefix.length : context.depth > OPTIONAL_DEPTH ? 0 : 1;
  const minItems = Math.min(nonNegativeInt(schema.minItems) ?? preferred, closedAt);
  const maxItems = Math.min(Math.max(nonNegativeInt(schema.maxItems) ?? minItems + 2, minItems), closedAt);
  const count =
    context.depth > OPTIONAL_DEPTH
      ? minItems
      : randomInt(context.random, minItems, Math.min(maxItems, minItems + 3));
  const result: unknown[] = [];
  const seen = new Set<string>();
  for (let attempt = 0; result.length < count && attempt < count * 4 + 4; attempt++) {
    const index = result.length;
    const item = valueFor(index < prefix.length ? prefix[index] : (schema.items ?? true), context);
    const key = JSON.stringify(item);
    if (schema.uniqueItems === true && seen.has(key)) continue;
    seen.add(key);
    result.push(item);
  }
  return result;
}

function nonNegativeInt(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;
}

interface NumericBounds {
  readonly low: number;
  readonly high: number;
  readonly lowExclusive: boolean;
  readonly highExclusive: boolean;
}

/** Handles both 2020-12 (numeric `exclusiveMinimum`) and draft-4 (boolean beside `minimum`) bounds. */
function numericBounds(schema: JsonRecord): NumericBounds {
  const num = (value: unknown) => (typeof value === "number" ? value : undefined);
  let low = num(schema.minimum);
  let high = num(schema.maximum);
  let lowExclusive = schema.exclusiveMinimum === true;
  let highExclusive = schema.exclusiveMaximum === true;
  const exclusiveLow = num(schema.exclusiveMinimum);
  const exclusiveHigh = num(schema.exclusiveMaximum);
  if (exclusiveLow !== undefined && (low === undefined || exclusiveLow >= low)) {
    low = exclusiveLow;
    lowExclusive = true;
  }
  if (exclusiveHigh !== undefined && (high === undefined || exclusiveHigh <= high)) {
    high = exclusiveHigh;
    highExclusive = true;
  }
  low ??= high === undefined ? 0 : Math.min(0, high - 100);
  high ??= low + 100;
  return { low, high, lowExclusive, highExclusive };
}

function integerFor(schema: JsonRecord, random: RandomSource): number {
  const bounds = numericBounds(schema);
  const low = bounds.lowExclusive ? Math.floor(bounds.low) + 1 : Math.ceil(bounds.low);
  const high = bounds.highExclusive ? Math.ceil(bounds.high) - 1 : Math.floor(bounds.high);
  const step =
    typeof schema.multipleOf === "number" && Number.isInteger(schema.multipleOf) ? schema.multipleOf : 1;
  const first = Math.ceil(low / step);
  const last = Math.floor(high / step);
  return last < first ? low : randomInt(random, first, last) * step;
}

function numberFor(schema: JsonRecord, random: RandomSource): number {
  const { low, high, lowExclusive, highExclusive } = numericBounds(schema);
  if (typeof schema.multipleOf === "number" && schema.multipleOf > 0) {
    const step = schema.multipleOf;
    const first = lowExclusive ? Math.floor(low / step) + 1 : Math.ceil(low / step);
    const last = highExclusive ? Math.ceil(high / step) - 1 : Math.floor(high / step);
    const decimals = (String(step).split(".")[1] ?? "").length;
    const k = last < first ? first : randomInt(random, first, last);
    return Number((k * step).toFixed(decimals));
  }
  const value = Math.round((low + random() * (high - low)) * 100) / 100;
  const outside =
    value < low || value > high || (lowExclusive && value === low) || (highExclusive && value === high);
  return outside ? (low + high) / 2 : value;
}

function someWords(random: RandomSource, min: number, max: number): string {
  const count = randomInt(random, min, max);
  const words: string[] = [];
  for (let i = 0; i < count; i++) words.push(pickOne(random, SIMULATOR_WORDS));
  return words.join(" ");
}

function pad2(value: number): string {
  return String(value).padStart(2, "0");
}

function formatted(format: unknown, random: RandomSource): string | undefined {
  const date = () =>
    `${randomInt(random, 2020, 2026)}-${pad2(randomInt(random, 1, 12))}-${pad2(randomInt(random, 1, 28))}`;
  const time = () =>
    `${pad2(randomInt(random, 0, 23))}:${pad2(randomInt(random, 0, 59))}:${pad2(randomInt(random, 0, 59))}`;
  const hex = (length: number) => {
    let out = "";
    for (let i = 0; i < length; i++) out += Math.floor(random() * 16).toString(16);
    return out;
  };
  switch (format) {
    case "date-time":
      return `${date()}T${time()}Z`;
    case "date":
      return date();
    case "time":
      return `${time()}Z`;
    case "email":
      return `${pickOne(random, SIMULATOR_WORDS)}@example.com`;
    case "uri":
    case "url":
      return `https://example.com/${pickOne(random, SIMULATOR_WORDS)}`;
    case "hostname":
      return `${pickOne(random, SIMULATOR_WORDS)}.example.com`;
    case "ipv4":
      return `192.0.2.${randomInt(random, 1, 254)}`;
    case "uuid":
      return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
    default:
      return undefined;
  }
}

function stringFor(schema: JsonRecord, random: RandomSource): string {
  const minLength = nonNegativeInt(schema.minLength) ?? 0;
  const maxLength = nonNegativeInt(schema.maxLength);
  let text = formatted(schema.format, random) ?? someWords(random, 1, 3);
  while (text.length < minLength) text += ` ${pickOne(random, SIMULATOR_WORDS)}`;
  if (maxLength !== undefined && text.length > maxLength) text = text.slice(0, maxLength);
  return text;
}
