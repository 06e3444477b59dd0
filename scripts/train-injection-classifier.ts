/**
 * Trains the shipped injection classifier on the whole development set and writes its weights.
 * Deterministic: same data, same options, same bytes. Usage:
 *   npx tsx scripts/train-injection-classifier.ts [path/to/injection-dev.csv]
 */
import { writeFileSync } from "node:fs";
import { defaultDatasetPath, loadInjectionDataset } from "./injection-dataset.js";
import { serializeInjectionClassifier } from "./injection-training.js";

const weightsPath = new URL("../src/safety/injection/injection-classifier-weights.json", import.meta.url)
  .pathname;

const prompts = loadInjectionDataset(process.argv[2] ?? defaultDatasetPath, 5);
const serialized = serializeInjectionClassifier(prompts);
writeFileSync(weightsPath, `${JSON.stringify(serialized, null, 2)}\n`);
console.log(
  `trained on ${prompts.length} prompts; ${Buffer.from(serialized.values, "base64").length} non-zero weights; wrote ${weightsPath}`,
);
