import {
  type SerializedClassifier,
  serializeClassifier,
} from "../src/safety/injection/classifier-weights.js";
import {
  extractHashedFeatures,
  featureBucketCount,
  type SparseVector,
} from "../src/safety/injection/hashed-text-features.js";
import {
  calibrateModel,
  fitLogitCalibration,
  type LinearModel,
  type LogitCalibration,
  linearLogit,
  trainLogisticRegression,
} from "../src/safety/injection/logistic-regression.js";
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
 * Sample weights that take most of the length signal away. In the data set jailbreaks are much longer than
 * benign prompts. Fully balanced weights (each length stratum split equally between its jailbreaks and its
 * benign prompts) remove length as evidence but put up to forty times the weight on each of the few short
 * jailbreaks, and the model then memorises their words and flags ordinary short requests. So the weight is the
 * geometric mean of the fully length-balanced weight and the plain class-balanced one, normalised to sum to 1.
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
  const positives = prompts.filter((prompt) => prompt.label === 1).length;
  const classCounts = [prompts.length - positives, positives] as const;
  const unnormalised = prompts.map((prompt) => {
    const stratum = lengthStratum(prompt.text.length);
    const classesPresent = counts.has(`${stratum}/0`) && counts.has(`${stratum}/1`) ? 2 : 1;
    const stratumShare = (strataSizes.get(stratum) ?? 0) / prompts.length;
    const lengthBalanced = stratumShare / classesPresent / (counts.get(key(prompt)) ?? 1);
    const classBalanced = 0.5 / classCounts[prompt.label];
    return Math.sqrt(lengthBalanced * classBalanced);
  });
  const total = unnormalised.reduce((sum, weight) => sum + weight, 0);
  return unnormalised.map((weight) => weight / total);
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

/**
 * Platt scaling fitted on cross-validated logits (each prompt scored by a model trained without its fold), with
 * the same length-balanced weights as training.
 */
export function fitCalibration(featurized: readonly FeaturizedPrompt[]): LogitCalibration {
  const folds = [...new Set(featurized.map((item) => item.prompt.fold))].sort((left, right) => left - right);
  const heldOut: Array<{ item: FeaturizedPrompt; logit: number }> = [];
  for (const fold of folds) {
    const model = trainOnFeaturized(featurized.filter((item) => item.prompt.fold !== fold));
    for (const item of featurized.filter((candidate) => candidate.prompt.fold === fold)) {
      heldOut.push({ item, logit: linearLogit(model, item.features) });
    }
  }
  return fitLogitCalibration(
    heldOut.map((entry) => entry.logit),
    heldOut.map((entry) => entry.item.prompt.label),
    lengthBalancedWeights(heldOut.map((entry) => entry.item.prompt)),
  );
}

export function describeTraining(
  prompts: readonly LabelledPrompt[],
  calibration: LogitCalibration,
): SerializedClassifier["trainedWith"] {
  return {
    dataset: "injection-dev.csv (llm-warden jailbreak_dataset_full, see shared/data/injection-dev/SOURCE.md)",
    prompts: prompts.length,
    injections: prompts.filter((prompt) => prompt.label === 1).length,
    features: "hashed character 3-5-grams and word 1-2-grams, presence, unit length",
    sampleWeights: `geometric mean of class-balanced and length-stratum-balanced weights (strata ${lengthStrataBounds.join(", ")} characters)`,
    ...injectionTrainingOptions,
    calibration: "Platt scaling on 5-fold cross-validated logits, folded into weights and bias",
    calibrationSlope: calibration.slope,
    calibrationIntercept: calibration.intercept,
  };
}

/** Prompts must carry their cross-validation folds: they are used to fit the calibration. */
export function serializeInjectionClassifier(prompts: readonly LabelledPrompt[]): SerializedClassifier {
  const featurized = featurize(prompts);
  const calibration = fitCalibration(featurized);
  return serializeClassifier(
    calibrateModel(trainOnFeaturized(featurized), calibration),
    describeTraining(prompts, calibration),
  );
}
