import { describe, expect, it } from "vitest";
import { z } from "zod";
import { generateToolArguments } from "./generate-tool-arguments.js";
import { createSeededRandom, hashToSeed } from "./seeded-random.js";
import type { JsonRecord } from "./simulator-wire.js";

const randomFor = (key: string) => createSeededRandom(hashToSeed(key));

const weather = {
  type: "object",
  properties: {
    location: { type: "string", description: "City and country" },
    unit: { type: "string", enum: ["celsius", "fahrenheit"] },
    days: { type: "integer", minimum: 1, maximum: 14 },
  },
  required: ["location", "unit"],
  additionalProperties: false,
};

const kitchenSink = {
  type: "object",
  properties: {
    id: { type: "string", format: "uuid" },
    email: { type: "string", format: "email" },
    when: { type: "string", format: "date-time" },
    day: { type: "string", format: "date" },
    site: { type: "string", format: "uri" },
    code: { type: "string", minLength: 12, maxLength: 16 },
    tag: { type: "string", maxLength: 3 },
    score: { type: "number", exclusiveMinimum: 0, maximum: 1 },
    price: { type: "number", minimum: 0.5, maximum: 2, multipleOf: 0.25 },
    even: { type: "integer", minimum: -10, maximum: 10, multipleOf: 2 },
    negative: { type: "integer", exclusiveMaximum: 0 },
    flag: { type: "boolean" },
    nothing: { type: "null" },
    fixed: { const: "v1" },
    maybe: { type: ["string", "null"] },
    choice: {
      anyOf: [
        { type: "string", enum: ["a", "b"] },
        { type: "integer", minimum: 100 },
      ],
    },
    either: { oneOf: [{ type: "null" }, { type: "boolean" }] },
    list: { type: "array", items: { type: "integer", minimum: 0, maximum: 9 }, minItems: 2, maxItems: 4 },
    unique: { type: "array", items: { enum: ["x", "y", "z"] }, minItems: 2, uniqueItems: true },
    tuple: { type: "array", prefixItems: [{ type: "string" }, { type: "number" }], items: false },
    nested: {
      type: "object",
      properties: {
        inner: { type: "object", properties: { deep: { type: "string", enum: ["ok"] } }, required: ["deep"] },
        values: { type: "array", items: { $ref: "#/$defs/point" }, minItems: 1 },
      },
      required: ["inner", "values"],
    },
    merged: {
      allOf: [{ $ref: "#/$defs/point" }, { properties: { label: { type: "string" } }, required: ["label"] }],
    },
  },
  required: [
    "id",
    "email",
    "when",
    "day",
    "site",
    "code",
    "tag",
    "score",
    "price",
    "even",
    "negative",
    "flag",
  ],
  $defs: {
    point: {
      type: "object",
      properties: { x: { type: "number" }, y: { type: "number" } },
      required: ["x", "y"],
      additionalProperties: false,
    },
  },
};

const tree = {
  type: "object",
  properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#" } } },
  required: ["name", "children"],
};

function expectValid(schema: JsonRecord, runs = 60): void {
  const validator = z.fromJSONSchema(schema);
  for (let run = 0; run < runs; run++) {
    const args = generateToolArguments(schema, randomFor(`run-${run}`));
    const result = validator.safeParse(JSON.parse(args));
    expect(result.success, `${args}\n${result.error?.message ?? ""}`).toBe(true);
  }
}

describe("generateToolArguments", () => {
  it("is valid JSON against a typical function schema", () => {
    expectValid(weather);
  });

  it("always includes required properties and sometimes optional ones", () => {
    const samples = Array.from({ length: 40 }, (_, run) =>
      JSON.parse(generateToolArguments(weather, randomFor(`o${run}`))),
    );
    expect(samples.every((sample) => typeof sample.location === "string" && "unit" in sample)).toBe(true);
    expect(samples.some((sample) => "days" in sample)).toBe(true);
    expect(samples.some((sample) => !("days" in sample))).toBe(true);
  });

  it("honours formats, bounds, enums, arrays, nesting, composition and $ref", () => {
    expectValid(kitchenSink, 120);
  });

  it("terminates on recursive schemas", () => {
    expectValid(tree);
  });

  it("is deterministic for the same random source", () => {
    const a = generateToolArguments(kitchenSink, randomFor("same"));
    expect(generateToolArguments(kitchenSink, randomFor("same"))).toBe(a);
    expect(generateToolArguments(kitchenSink, randomFor("different"))).not.toBe(a);
  });

  it("gives an empty object when the function takes no parameters", () => {
    expect(generateToolArguments(undefined, randomFor("none"))).toBe("{}");
    expect(generateToolArguments({ type: "object", properties: {} }, randomFor("none"))).toBe("{}");
  });
});
