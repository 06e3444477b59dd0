/**
 * Measures the injection detector on the development set: k-fold cross-validation (each fold scored by a
 * classifier trained without it; near-duplicates kept in one fold), a length-only baseline, the heuristics
 * alone, figures per length bucket, and the shipped model on the full set (training data: not held out).
 * Usage: npx tsx scripts/evaluate-injection.ts [path/to/injection-dev.csv] > report.md
 */
import {
  deserializeClassifier,
  type SerializedClassifier,
} from "../src/safety/injection/classifier-weights.js";
import shippedWeights from "../src/safety/injection/injection-classifier-weights.json" with { type: "json" };
import { createInjectionScorer } from "../src/safety/injection/injection-scorer.js";
import { calibrateModel } from "../src/safety/injection/logistic-regression.js";
import { defaultDatasetPath, type LabelledPrompt, loadInjectionDataset } from "./injection-dataset.js";
import {
  areaUnderCurve,
  rates,
  type ScoredPrompt,
  thresholdAtFalsePositiveRate,
} from "./injection-metrics.js";
import { type FeaturizedPrompt, featurize, trainOnFeaturized } from "./injection-training.js";

const foldCount = 5;
const falsePositiveRates = [0.01, 0.02, 0.05] as const;
const lengthBuckets = [
  { name: "< 256 chars", below: 256 },
  { name: "256–1,023", below: 1024 },
  { name: "1,024–4,095", below: 4096 },
  { name: ">= 4,096", below: Number.POSITIVE_INFINITY },
] as const;

interface Scored extends ScoredPrompt {
  readonly length: number;
  readonly heuristicScore: number;
  readonly classifierScore: number;
  readonly heuristicIds: readonly string[];
}

const prompts = loadInjectionDataset(process.argv[2] ?? defaultDatasetPath, foldCount);

/**
 * Fold models get the shipped model's Platt scaling: a monotone map, so the classifier's own figures do not
 * depend on it; it only sets where the classifier's scale meets the heuristic weights.
 */
const shippedTraining = (shippedWeights as SerializedClassifier).trainedWith;
const shippedCalibration = {
  slope: Number(shippedTraining.calibrationSlope),
  intercept: Number(shippedTraining.calibrationIntercept),
};
if (Number.isNaN(shippedCalibration.slope) || Number.isNaN(shippedCalibration.intercept)) {
  throw new Error(
    "the shipped weights carry no calibration: run scripts/train-injection-classifier.ts first",
  );
}

function scoreFold(training: readonly FeaturizedPrompt[], evaluated: readonly LabelledPrompt[]): Scored[] {
  const scorer = createInjectionScorer(calibrateModel(trainOnFeaturized(training), shippedCalibration));
  return evaluated.map((prompt) => {
    const explanation = scorer.explain(prompt.text);
    return {
      score: explanation.score,
      label: prompt.label,
      length: prompt.text.length,
      heuristicScore: explanation.heuristicScore,
      classifierScore: explanation.classifierScore,
      heuristicIds: explanation.heuristics.map((heuristic) => heuristic.id),
    };
  });
}

function format(value: number): string {
  return Number.isNaN(value) ? "–" : value.toFixed(3);
}

function tprRow(name: string, scored: readonly ScoredPrompt[]): string {
  const cells = falsePositiveRates.map((rate) =>
    format(rates(scored, thresholdAtFalsePositiveRate(scored, rate)).tpr),
  );
  return `| ${name} | ${cells.join(" | ")} | ${format(areaUnderCurve(scored))} |`;
}

const featurized = featurize(prompts);
const heldOut: Scored[] = [];
for (let fold = 0; fold < foldCount; fold += 1) {
  heldOut.push(
    ...scoreFold(
      featurized.filter((item) => item.prompt.fold !== fold),
      prompts.filter((prompt) => prompt.fold === fold),
    ),
  );
  console.error(`fold ${fold + 1}/${foldCount} scored`);
}
const shippedScorer = createInjectionScorer(deserializeClassifier(shippedWeights as SerializedClassifier));
const shipped = prompts.map((prompt) => ({ score: shippedScorer.score(prompt.text), label: prompt.label }));

const injections = prompts.filter((prompt) => prompt.label === 1).length;
const lines: string[] = [
  `Data: ${prompts.length} prompts after de-duplication (${injections} jailbreaks, ${prompts.length - injections} benign); ${foldCount}-fold cross-validation, near-duplicates grouped in one fold.`,
  "",
  "| Scorer | TPR @ 1% FPR | TPR @ 2% FPR | TPR @ 5% FPR | ROC AUC |",
  "| --- | --- | --- | --- | --- |",
  tprRow("Combined detector, held out (cross-validation)", heldOut),
  tprRow(
    "Classifier alone, held out",
    heldOut.map((prompt) => ({ score: prompt.classifierScore, label: prompt.label })),
  ),
  tprRow(
    "Heuristics alone",
    heldOut.map((prompt) => ({ score: prompt.heuristicScore, label: prompt.label })),
  ),
  tprRow(
    "Length-only baseline (score = characters)",
    heldOut.map((prompt) => ({ score: prompt.length, label: prompt.label })),
  ),
  tprRow("Shipped model on the full set (its training data: not held out)", shipped),
  "",
];

lines.push(
  `Combined-score thresholds, held out: ${falsePositiveRates
    .map((rate) => `${rate * 100}% FPR above ${thresholdAtFalsePositiveRate(heldOut, rate).toFixed(3)}`)
    .join(", ")}.`,
  "",
);
const threshold = thresholdAtFalsePositiveRate(heldOut, 0.02);
lines.push(
  `Per length bucket, held out, at the threshold that gives 2% FPR overall (${threshold.toFixed(3)}):`,
  "",
  "| Length | Jailbreaks | Benign | TPR | FPR | ROC AUC within bucket |",
  "| --- | --- | --- | --- | --- | --- |",
);
let lower = 0;
for (const bucket of lengthBuckets) {
  const inBucket = heldOut.filter((prompt) => prompt.length >= lower && prompt.length < bucket.below);
  const { tpr, fpr } = rates(inBucket, threshold);
  const positives = inBucket.filter((prompt) => prompt.label === 1).length;
  lines.push(
    `| ${bucket.name} | ${positives} | ${inBucket.length - positives} | ${format(tpr)} | ${format(fpr)} | ${format(areaUnderCurve(inBucket))} |`,
  );
  lower = bucket.below;
}

const firing = new Map<string, { jailbreak: number; benign: number }>();
for (const prompt of heldOut) {
  for (const id of prompt.heuristicIds) {
    const counts = firing.get(id) ?? { jailbreak: 0, benign: 0 };
    counts[prompt.label === 1 ? "jailbreak" : "benign"] += 1;
    firing.set(id, counts);
  }
}
lines.push(
  "",
  "Heuristics that fired (prompts):",
  "",
  "| Heuristic | Jailbreaks | Benign |",
  "| --- | --- | --- |",
);
for (const [id, counts] of [...firing].sort((left, right) => right[1].jailbreak - left[1].jailbreak)) {
  lines.push(`| ${id} | ${counts.jailbreak} | ${counts.benign} |`);
}
console.log(lines.join("\n"));
