import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { errorCatalog } from "./error-catalog.js";

const documentRows = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8")
  .split("\n")
  .map((line) => /^\| `(GW_ERR_[A-Z_]+)` \| (\d{3}) \| `([a-z_]+)` \| (yes|no) \|/.exec(line))
  .filter((match): match is RegExpExecArray => match !== null)
  .map((match) => ({
    code: match[1],
    status: Number(match[2]),
    type: match[3],
    retryable: match[4] === "yes",
  }));

describe("error catalog", () => {
  it("is documented in docs/errors.md, entry for entry", () => {
    const catalogRows = Object.entries(errorCatalog).map(([code, entry]) => ({
      code,
      status: entry.status,
      type: entry.type,
      retryable: entry.retryable,
    }));
    expect(documentRows).toEqual(catalogRows);
  });

  it("uses GW_ERR_<AREA>_<WHAT> codes and error statuses", () => {
    for (const [code, entry] of Object.entries(errorCatalog)) {
      expect(code).toMatch(/^GW_ERR_[A-Z]+_[A-Z_]+$/);
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.summary.length).toBeGreaterThan(10);
    }
  });
});
