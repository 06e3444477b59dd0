import { extractHashedFeatures } from "./hashed-text-features.js";
import { type LinearModel, linearLogit, sigmoid } from "./logistic-regression.js";
import {
  combineHeuristicWeights,
  type FiredHeuristic,
  matchInjectionHeuristics,
} from "./match-injection-heuristics.js";
import { normalizeText } from "./normalize-text.js";

/** Why a text got its score. */
export interface InjectionExplanation {
  /** The combined score in [0, 1]: the larger of `classifierScore` and `heuristicScore`. */
  readonly score: number;
  /** The logistic-regression probability over hashed n-grams of the normalised text. */
  readonly classifierScore: number;
  /** The noisy-or of the weights of the heuristics that fired. */
  readonly heuristicScore: number;
  readonly heuristics: readonly FiredHeuristic[];
}

export interface InjectionScorer {
  explain(text: string): InjectionExplanation;
  score(text: string): number;
}

/**
 * Scores texts with one classifier and the pattern heuristics, and keeps the larger score: a text is flagged
 * when either part alone reaches the threshold. The classifier knows the jailbreak genre of its training data,
 * the patterns know injection phrasings that data lacks (instructions hidden in documents). Not a noisy-or: the
 * classifier is unsure about short prompts (it saw few short jailbreaks), and a noisy-or would let any weak
 * pattern tip an unsure score over the threshold.
 */
export function createInjectionScorer(model: LinearModel): InjectionScorer {
  function explain(text: string): InjectionExplanation {
    const normalized = normalizeText(text);
    const classifierScore = sigmoid(linearLogit(model, extractHashedFeatures(normalized.words)));
    const heuristics = matchInjectionHeuristics(text, normalized);
    const heuristicScore = combineHeuristicWeights(heuristics);
    return {
      score: Math.max(classifierScore, heuristicScore),
      classifierScore,
      heuristicScore,
      heuristics,
    };
  }
  return { explain, score: (text) => explain(text).score };
}
