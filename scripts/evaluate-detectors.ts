/**
 * `npm run eval:detectors`: measures the safety detectors through `switchyard scan` (the built CLI, so exactly
 * the detectors and defaults the gateway runs) on the development sets in ../shared/data:
 * - PII (pii-dev): span-level precision, recall and F2 per entity type and overall (scripts/pii-report.ts);
 * - injection (injection-dev): TPR at 1%, 2% and 5% FPR beside a length-only baseline, overall and per length
 *   bucket, for the shipped model. That model was trained on this set, so these figures are in-sample; the
 *   held-out (cross-validated) figures come from scripts/evaluate-injection.ts, which this runs last.
 *
 *   npm run eval:detectors            (builds first)
 *   npx tsx scripts/evaluate-detectors.ts [--pii FILE] [--injection FILE]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Detection } from "../src/core/detection.js";
import { defaultDatasetPath, loadInjectionDataset } from "./injection-dataset.js";
import {
  areaUnderCurve,
  rates,
  type ScoredPrompt,
  thresholdAtFalsePositiveRate,
} from "./injection-metrics.js";
import { defaultPiiDatasetPath, loadPresidioSamples, printPiiReport } from "./pii-report.js";

const repoRoot = path.resolve(new URL("..", import.meta.url).pathname);
const { values } = parseArgs({
  options: { pii: { type: "string" }, injection: { type: "string" } },
});
const workDir = mkdtempSync(path.join(tmpdir(), "switchyard-eval-"));

interface ScanLine {
  readonly line: number;
  readonly detections?: readonly Detection[];
  readonly error?: string;
}

/** Runs `switchyard scan` over one text per line and returns each line's detections, in order. */
function scan(name: string, texts: readonly string[], args: readonly string[]): Detection[][] {
  const input = path.join(workDir, `${name}.jsonl`);
  writeFileSync(input, texts.map((text) => JSON.stringify({ text })).join("\n"));
  const output = execFileSync(
    process.execPath,
    [path.join(repoRoot, "bin/switchyard.js"), "scan", input, "--field", "text", "--no-progress", ...args],
    { cwd: workDir, maxBuffer: 1024 * 1024 * 1024, encoding: "utf8" },
  );
  const lines = output
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as ScanLine);
  if (lines.length !== texts.length)
    throw new Error(`scan answered ${lines.length} lines for ${texts.length}`);
  return lines.map((line) => {
    if (line.error !== undefined) throw new Error(`scan line ${line.line}: ${line.error}`);
    return [...(line.detections ?? [])];
  });
}

const format = (value: number) => (Number.isNaN(value) ? "-" : value.toFixed(3));

function tprRow(name: string, scored: readonly ScoredPrompt[]): string {
  const cells = [0.01, 0.02, 0.05].map((fpr) =>
    format(rates(scored, thresholdAtFalsePositiveRate(scored, fpr)).tpr),
  );
  return `| ${name} | ${cells.join(" | ")} | ${format(areaUnderCurve(scored))} |`;
}

try {
  const piiPath = values.pii ?? defaultPiiDatasetPath;
  const samples = loadPresidioSamples(piiPath);
  const started = performance.now();
  const predictions = scan(
    "pii",
    samples.map((sample) => sample.full_text),
    ["--detectors", "pii"],
  );
  console.log(`## PII (switchyard scan --detectors pii), ${(performance.now() - started).toFixed(0)} ms\n`);
  const detectorTypes = [...new Set(predictions.flat().map((detection) => detection.type))];
  printPiiReport(piiPath, samples, predictions, detectorTypes);

  const injectionPath = values.injection ?? defaultDatasetPath;
  const prompts = loadInjectionDataset(injectionPath, 5);
  const scores = scan(
    "injection",
    prompts.map((prompt) => prompt.text),
    ["--detectors", "injection", "--injection-threshold", "0"],
  ).map((detections) => detections.find((detection) => detection.type === "PROMPT_INJECTION")?.score ?? 0);
  const scored = prompts.map((prompt, index) => ({ score: scores[index] ?? 0, label: prompt.label }));
  const byLength = prompts.map((prompt) => ({ score: prompt.text.length, label: prompt.label }));
  console.log(`\n## Injection (switchyard scan --detectors injection), ${injectionPath}\n`);
  console.log(
    `${prompts.length} prompts after de-duplication. The shipped model was trained on this set: in-sample figures.\n`,
  );
  console.log("| scorer | TPR @1% FPR | @2% | @5% | AUC |\n|---|---|---|---|---|");
  console.log(tprRow("shipped detector (in-sample)", scored));
  console.log(tprRow("length-only baseline (score = characters)", byLength));
  console.log("\nPer length bucket, shipped detector, threshold at 2% FPR overall:\n");
  console.log("| length | jailbreaks | benign | TPR | FPR |\n|---|---|---|---|---|");
  const threshold = thresholdAtFalsePositiveRate(scored, 0.02);
  const buckets = [0, 256, 1024, 4096, Number.POSITIVE_INFINITY];
  for (let index = 0; index + 1 < buckets.length; index += 1) {
    const [low, high] = [buckets[index] ?? 0, buckets[index + 1] ?? Number.POSITIVE_INFINITY];
    const inBucket = scored.filter((_, at) => {
      const length = prompts[at]?.text.length ?? 0;
      return length >= low && length < high;
    });
    const positives = inBucket.filter((prompt) => prompt.label === 1).length;
    const { tpr, fpr } = rates(inBucket, threshold);
    console.log(
      `| ${low}–${high === Number.POSITIVE_INFINITY ? "" : high - 1} | ${positives} | ${inBucket.length - positives} | ${format(tpr)} | ${format(fpr)} |`,
    );
  }
  console.log("\n## Injection, held out (scripts/evaluate-injection.ts: 5-fold cross-validation)\n");
  console.log(
    execFileSync(
      process.execPath,
      ["--import", "tsx", path.join(repoRoot, "scripts/evaluate-injection.ts"), injectionPath],
      {
        cwd: repoRoot,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      },
    ),
  );
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
