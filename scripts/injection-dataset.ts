import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { normalizeText } from "../src/safety/injection/normalize-text.js";

/** The development set; see /work/shared/data/injection-dev/SOURCE.md for its origin and caveats. */
export const defaultDatasetPath = new URL(
  "../../shared/data/injection-dev/injection-dev.csv",
  import.meta.url,
).pathname;

export interface LabelledPrompt {
  readonly text: string;
  readonly label: 0 | 1;
  /** Cross-validation fold; near-duplicates share one. */
  readonly fold: number;
}

export const wordPattern = /[a-z0-9']+/g;

const shingleLength = 8;
/** Share of the smaller prompt's eight-word runs found in the other one that makes two prompts near-duplicates. */
const nearDuplicateContainment = 0.5;

/**
 * Reads `prompt,type` rows, drops repeated prompts (compared after normalisation, first one kept) and assigns
 * folds so that near-duplicates (edited copies of one jailbreak, one template filled twice) land in one fold: otherwise cross-validation would score a prompt with a model trained on its twin.
 */
export function loadInjectionDataset(path: string, foldCount: number): LabelledPrompt[] {
  const rows: string[][] = parse(readFileSync(path, "utf8"), { from_line: 2, relax_quotes: true });
  const seen = new Set<string>();
  const unique: Array<{ text: string; label: 0 | 1; words: string[] }> = [];
  for (const [text, type] of rows) {
    if (text === undefined || (type !== "jailbreak" && type !== "benign")) {
      continue;
    }
    const words = [...normalizeText(text).words.matchAll(wordPattern)].map((match) => match[0]);
    const key = words.join(" ");
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    unique.push({ text, label: type === "jailbreak" ? 1 : 0, words });
  }
  const groupOf = groupNearDuplicates(unique.map((prompt) => prompt.words));
  const folds = assignFolds(groupOf, foldCount);
  return unique.map((prompt, index) => ({ text: prompt.text, label: prompt.label, fold: folds[index] ?? 0 }));
}

function groupNearDuplicates(documents: readonly string[][]): number[] {
  const parent = documents.map((_, index) => index);
  const find = (index: number): number => {
    let root = index;
    while (parent[root] !== root) {
      root = parent[root] ?? root;
    }
    parent[index] = root;
    return root;
  };
  const shingleSets = documents.map((words) => {
    const shingles = new Set<string>();
    for (let start = 0; start + shingleLength <= words.length; start += 1) {
      shingles.add(words.slice(start, start + shingleLength).join(" "));
    }
    return shingles;
  });
  const postings = new Map<string, number[]>();
  shingleSets.forEach((shingles, index) => {
    for (const shingle of shingles) {
      postings.set(shingle, [...(postings.get(shingle) ?? []), index]);
    }
  });
  shingleSets.forEach((shingles, index) => {
    const shared = new Map<number, number>();
    for (const shingle of shingles) {
      for (const other of postings.get(shingle) ?? []) {
        if (other < index) {
          shared.set(other, (shared.get(other) ?? 0) + 1);
        }
      }
    }
    for (const [other, count] of shared) {
      const smaller = Math.min(shingles.size, shingleSets[other]?.size ?? 0);
      if (count >= nearDuplicateContainment * smaller) {
        parent[find(index)] = find(other);
      }
    }
  });
  return documents.map((_, index) => find(index));
}

/** Largest groups first, each into the fold with the fewest prompts so far; ties go to the lower fold. */
function assignFolds(groupOf: readonly number[], foldCount: number): number[] {
  const members = new Map<number, number[]>();
  groupOf.forEach((group, index) => {
    members.set(group, [...(members.get(group) ?? []), index]);
  });
  const groups = [...members.values()].sort(
    (left, right) => right.length - left.length || (left[0] ?? 0) - (right[0] ?? 0),
  );
  const foldSizes = new Array<number>(foldCount).fill(0);
  const folds = new Array<number>(groupOf.length).fill(0);
  for (const group of groups) {
    const fold = foldSizes.indexOf(Math.min(...foldSizes));
    for (const index of group) {
      folds[index] = fold;
    }
    foldSizes[fold] = (foldSizes[fold] ?? 0) + group.length;
  }
  return folds;
}
