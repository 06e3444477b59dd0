import { describe, expect, it } from "vitest";
import { analyseRegex, exportedPatterns } from "../../../test/support/redos-analysis.js";
import * as abuse from "./abuse-and-illicit-rules.js";
import * as context from "./context-cues.js";
import { moderationRules } from "./moderation-detector.js";
import * as selfHarm from "./self-harm-and-violence-rules.js";

const patterns = exportedPatterns({ abuse, context, selfHarm });

describe("moderation patterns under ReDoS analysis (recheck, automaton checker)", () => {
  it("covers the pattern of every rule the detector runs", () => {
    const analysed = new Set(patterns.map(({ pattern }) => pattern));
    expect(moderationRules.filter((rule) => !analysed.has(rule.pattern))).toEqual([]);
  });

  it.each(patterns)("$name is safe", ({ pattern }) => {
    const diagnostics = analyseRegex(pattern);
    expect(diagnostics.status === "vulnerable" ? diagnostics.attack : diagnostics.status).toBe("safe");
  });
});
