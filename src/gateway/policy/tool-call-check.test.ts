import { describe, expect, it } from "vitest";
import { anyone } from "../../../test/support/safety-test-policies.js";
import type { ToolPolicyConfig } from "../../core/gateway-config.js";
import { checkToolAllowed, checkToolArguments, declaredToolSchemas } from "./tool-call-check.js";

const rule = (allow: string[], validateArguments = false): ToolPolicyConfig => ({
  scope: anyone,
  allow,
  validateArguments,
});

const schemas = declaredToolSchemas({
  tools: [
    {
      type: "function",
      function: {
        name: "weather",
        parameters: {
          type: "object",
          properties: { city: { type: "string" }, days: { type: "integer", minimum: 1 } },
          required: ["city"],
        },
      },
    },
    { type: "function", function: { name: "broken", parameters: { type: "nonsense" } } },
  ],
});

function codeOf(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe("checkToolAllowed", () => {
  it("requires every rule in scope to allow the tool", () => {
    expect(
      codeOf(() => checkToolAllowed([rule(["weather", "search"]), rule(["weather"])], "weather")),
    ).toBeUndefined();
    expect(codeOf(() => checkToolAllowed([rule(["weather", "search"]), rule(["weather"])], "search"))).toBe(
      "GW_ERR_POLICY_TOOL_NOT_ALLOWED",
    );
  });
});

describe("checkToolArguments", () => {
  const validating = [rule(["weather"], true)];

  it.each([
    ['{"city":"Oslo","days":3}', undefined],
    ['{"days":3}', "required property 'city'"],
    ['{"city":"Oslo","days":0}', "/days must be >= 1"],
    ["{not json", "are not valid JSON"],
  ])("checks %s", (argumentsText, problem) => {
    let message: string | undefined;
    try {
      checkToolArguments(validating, schemas, "weather", argumentsText);
    } catch (error) {
      message = (error as Error).message;
      expect((error as { code?: string }).code).toBe("GW_ERR_POLICY_TOOL_ARGUMENTS_INVALID");
    }
    if (problem === undefined) expect(message).toBeUndefined();
    else expect(message).toContain(problem);
  });

  it("skips validation unless a rule asks for it, and reports undeclared tools and broken schemas", () => {
    expect(codeOf(() => checkToolArguments([rule(["weather"])], schemas, "weather", "{bad"))).toBeUndefined();
    expect(() => checkToolArguments(validating, schemas, "other", "{}")).toThrow("declares no such tool");
    expect(() => checkToolArguments(validating, schemas, "broken", "{}")).toThrow("schema is invalid");
  });
});
