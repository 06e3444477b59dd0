import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { providerSchema } from "../../src/config/config-schema.js";
import { operationRoutes } from "../../src/http/build-http-server.js";

const document = readFileSync(new URL("../../docs/providers.md", import.meta.url), "utf8");
/** The dialect table at the top of docs/providers.md: one row per dialect, client routes and provider types. */
const lines = document.split("\n");
const tableStart = lines.findIndex((line) => line.startsWith("| Dialect |"));
const tableLength = lines.slice(tableStart).findIndex((line) => !line.startsWith("|"));
const dialectTable = lines.slice(tableStart, tableStart + tableLength).join("\n");

describe("docs/providers.md", () => {
  it("names every provider type the config accepts in its dialect table, with a config example for each", () => {
    expect(tableStart).toBeGreaterThan(0);
    const types = providerSchema.shape.type.options;
    expect(types.length).toBeGreaterThanOrEqual(7);
    for (const type of types) {
      expect(dialectTable, `provider type ${type}`).toContain(`\`${type}\``);
      // The simulator is configured in the README; every real provider has an example here.
      if (type !== "simulator")
        expect(document, `an example of ${type}`).toMatch(new RegExp(`type: ${type}\\b`));
    }
  });

  it("names the /v1 route of every client operation in its dialect table", () => {
    const routes = operationRoutes.filter(([path]) => path.startsWith("/v1/"));
    expect(new Set(routes.map(([, operation]) => operation)).size).toBe(
      new Set(operationRoutes.map(([, operation]) => operation)).size,
    );
    for (const [path] of routes) expect(dialectTable, path).toContain(`\`POST ${path}\``);
  });
});
