import {
  type SerializedClassifier,
  serializeClassifier,
} from "../src/safety/injection/classifier-weights.js";
import {
  extractHashedFeatures,
  featureBucketCount,
  type SparseVector,
} from "../src/safety/injection/hashed-text-features.js";
import { type LinearModel, trainLogisticRegression } from "../src/safety/injection/logistic-regression.js";
import { normalizeText } from "../src/safety/injection/normalize-text.js";
import type { LabelledPrompt } from "./injection-dataset.js";

/** One set of options for the shipped model and for every cross-validation fold. */
export const injectionTrainingOptions = {
  dimension: featureBucketCount,
  epochs: 200,
  learningRate: 2,
  l2: 1e-2,
} as const;

/** Length strata (characters) inside which the two classes are given equal weight. */
export const lengthStrataBounds = [128, 256, 512, 1024, 2048, 4096] as const;

export function lengthStratum(length: number): number {
  const stratum = lengthStrataBounds.findIndex((bound) => length < bound);
  return stratum === -1 ? lengthStrataBounds.length : stratum;
}

export interface FeaturizedPrompt {
  readonly prompt: LabelledPrompt;
  readonly features: SparseVector;
}

export function featurize(prompts: readonly LabelledPrompt[]): FeaturizedPrompt[] {
  return prompts.map((prompt) => ({
    prompt,
    features: extractHashedFeatures(normalizeText(prompt.text).words),
  }));
}

/**
 * Sample weights that make length useless as evidence: in the data set jailbreaks are much longer than benign
 * prompts, so each length stratum gets weight in proportion to its size, split equally between its
 * jailbreaks and its benign prompts. A stratum holding one class only keeps its share on that class.
 */
export function lengthBalancedWeights(prompts: readonly LabelledPrompt[]): number[] {
  const counts = new Map<string, number>();
  const strataSizes = new Map<number, number>();
  const key = (prompt: LabelledPrompt) => `${lengthStratum(prompt.text.length)}/${prompt.label}`;
  for (const prompt of prompts) {
    counts.set(key(prompt), (counts.get(key(prompt)) ?? 0) + 1);
    const stratum = lengthStratum(prompt.text.length);
    strataSizes.set(stratum, (strataSizes.get(stratum) ?? 0) + 1);
  }
  return prompts.map((prompt) => {
    const stratum = lengthStratum(prompt.text.length);
    const classesPresent = counts.has(`${stratum}/0`) && counts.has(`${stratum}/1`) ? 2 : 1;
    const stratumShare = (strataSizes.get(stratum) ?? 0) / prompts.length;
    return stratumShare / classesPresent / (counts.get(key(prompt)) ?? 1);
  });
}

export function trainOnFeaturized(featurized: readonly FeaturizedPrompt[]): LinearModel {
  const weights = lengthBalancedWeights(featurized.map((item) => item.prompt));
  const samples = featurized.map((item, index) => ({
    features: item.features,
    label: item.prompt.label,
    weight: weights[index] ?? 0,
  }));
  return trainLogisticRegression(samples, injectionTrainingOptions);
}

export function describeTraining(prompts: readonly LabelledPrompt[]): SerializedClassifier["trainedWith"] {
  return {
    dataset: "injection-dev.csv (llm-warden jailbreak_dataset_full, see shared/data/injection-dev/SOURCE.md)",
    prompts: prompts.length,
    injections: prompts.filter((prompt) => prompt.label === 1).length,
    features: "hashed character 3-5-grams and word 1-2-grams, presence, unit length",
    sampleWeights: `classes balanced within length strata ${lengthStrataBounds.join(", ")} characters`,
    ...injectionTrainingOptions,
  };
}

export function serializeInjectionClassifier(prompts: readonly LabelledPrompt[]): SerializedClassifier {
  return serializeClassifier(trainOnFeaturized(featurize(prompts)), describeTraining(prompts));
}
