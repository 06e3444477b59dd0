import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const builtMain = fileURLToPath(new URL("../../dist/main.js", import.meta.url));

/**
 * Imports `modules` in a fresh Node and says whether two objects made by one object literal with a computed key
 * still share a hidden class. A library that fills V8's shared literal maps (compromise does, when loaded) makes
 * every such literal, `process.nextTick`'s included, build a new class per call: measured at about a sixth of the
 * gateway's CPU per request (ADR 0016).
 */
function literalsShareMaps(modules: readonly string[]): boolean {
  const script = [
    ...modules.map((module) => `await import(${JSON.stringify(module)});`),
    "const key = Symbol('probe');",
    "const make = (value) => ({ [key]: value, callback: make, args: undefined });",
    "console.log(%HaveSameMap(make(1), make(2)) ? 'shared' : 'split');",
  ].join("\n");
  const run = spawnSync(
    process.execPath,
    ["--allow-natives-syntax", "--input-type=module", "--eval", script],
    { cwd: repoRoot, encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(`probe failed: ${run.stderr}`);
  return run.stdout.trim() === "shared";
}

describe("hidden classes of object literals with computed keys", () => {
  it("stay shared after the gateway's modules are loaded (no library on the default path fills the map cache)", () => {
    if (!existsSync(builtMain))
      throw new Error("dist/ is missing: run `npm run build` (npm test does) first");
    expect(literalsShareMaps([builtMain])).toBe(true);
  });

  it("split once compromise is loaded, which is why the PII lexicon loads it only on first use", () => {
    expect(literalsShareMaps(["compromise"])).toBe(false);
  });
});
