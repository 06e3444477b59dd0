/**
 * Runs the secrets and local moderation detectors over every text file under a folder (default:
 * node_modules) and prints how many files and characters it read and what each detector reported, with
 * the context of each finding, so false positives on real third-party text can be counted and read.
 *
 *   npx tsx bench/scan-safety-detectors.ts [folder]
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { createModerationDetector } from "../src/safety/moderation/moderation-detector.js";
import { createSecretsDetector } from "../src/safety/secrets/secrets-detector.js";

const textExtensions = new Set([".md", ".json", ".ts", ".js", ".yml", ".yaml"]);
const largestFile = 2_000_000;

function* textFiles(folder: string): Generator<string> {
  for (const name of readdirSync(folder)) {
    const file = path.join(folder, name);
    const stats = statSync(file, { throwIfNoEntry: false });
    if (stats?.isDirectory()) yield* textFiles(file);
    else if (stats !== undefined && textExtensions.has(path.extname(name)) && stats.size < largestFile)
      yield file;
  }
}

const root = process.argv[2] ?? "node_modules";
const secrets = createSecretsDetector();
const moderation = createModerationDetector();
const counts = { files: 0, characters: 0, proseFiles: 0, proseCharacters: 0 };
const found: Record<string, number> = {};

for (const file of textFiles(root)) {
  const text = readFileSync(file, "utf8");
  counts.files += 1;
  counts.characters += text.length;
  const isProse = file.endsWith(".md");
  if (isProse) {
    counts.proseFiles += 1;
    counts.proseCharacters += text.length;
  }
  const detections = [...secrets.detect(text), ...(isProse ? moderation.detect(text) : [])];
  for (const detection of detections) {
    const key = `${detection.family}/${detection.type}`;
    found[key] = (found[key] ?? 0) + 1;
    const context = text.slice(Math.max(0, detection.start - 40), detection.end + 10);
    console.log(`${key} ${detection.score} ${file}: ${JSON.stringify(context).slice(0, 240)}`);
  }
}

console.log(
  `read ${counts.files} files (${counts.characters} characters) with the secrets detector, ` +
    `${counts.proseFiles} markdown files (${counts.proseCharacters} characters) with the moderation rules`,
);
console.log(JSON.stringify(found));
