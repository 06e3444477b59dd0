import { checkSync } from "recheck";
import { describe, expect, it } from "vitest";
import * as canaryToken from "./canary-token.js";
import * as decodeEmbeddedPayloads from "./decode-embedded-payloads.js";
import * as hashedTextFeatures from "./hashed-text-features.js";
import { injectionPatterns } from "./injection-patterns.js";
import * as normalizeText from "./normalize-text.js";

/** Every RegExp the injection detectors run: each module exports its own, and the pattern table. */
const patterns: Array<[string, RegExp]> = [
  ...[canaryToken, decodeEmbeddedPayloads, hashedTextFeatures, normalizeText].flatMap((module) =>
    Object.entries(module).filter((entry): entry is [string, RegExp] => entry[1] instanceof RegExp),
  ),
  ...decodeEmbeddedPayloads.hexRunPatterns.map((pattern, index): [string, RegExp] => [
    `hexRunPatterns[${index}]`,
    pattern,
  ]),
  ...injectionPatterns.map((candidate): [string, RegExp] => [candidate.id, candidate.pattern]),
];

describe("regular expressions of the injection detectors", () => {
  it("finds the exported expressions", () => {
    expect(patterns.length).toBeGreaterThan(injectionPatterns.length + 10);
  });

  // recheck's automaton checker is exact and deterministic: "safe" is a proof, not a sample.
  it.each(patterns)(
    "%s is proven free of super-linear backtracking by recheck",
    (_name, pattern) => {
      const diagnostics = checkSync(pattern.source, pattern.flags, { checker: "automaton", timeout: 60_000 });
      expect(diagnostics.status).toBe("safe");
    },
    120_000,
  );
});
