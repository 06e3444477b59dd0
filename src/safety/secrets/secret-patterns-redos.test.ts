import { describe, expect, it } from "vitest";
import { analyseRegex, exportedPatterns } from "../../../test/support/redos-analysis.js";
import * as cloud from "./cloud-key-rules.js";
import * as credential from "./credential-context.js";
import * as database from "./database-url-rule.js";
import * as generic from "./generic-secret-rule.js";
import * as jwt from "./jwt-rule.js";
import * as placeholder from "./looks-like-placeholder.js";
import * as privateKey from "./private-key-rules.js";
import * as vendor from "./vendor-token-rules.js";

const patterns = exportedPatterns({
  cloud,
  credential,
  database,
  generic,
  jwt,
  placeholder,
  privateKey,
  vendor,
});

describe("secret patterns under ReDoS analysis (recheck, automaton checker)", () => {
  it("the analyser flags a known catastrophic pattern, so a pass below means something", () => {
    expect(analyseRegex(/^(a+)+$/).status).toBe("vulnerable");
  });

  it("collects the patterns of every rule module", () => {
    expect(patterns.length).toBeGreaterThanOrEqual(40);
  });

  it.each(patterns)("$name is safe", ({ pattern }) => {
    const diagnostics = analyseRegex(pattern);
    expect(diagnostics.status === "vulnerable" ? diagnostics.attack : diagnostics.status).toBe("safe");
  });
});
