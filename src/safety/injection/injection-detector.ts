import type { Detection, Detector } from "../../core/detection.js";
import { deserializeClassifier, type SerializedClassifier } from "./classifier-weights.js";
import shippedWeights from "./injection-classifier-weights.json" with { type: "json" };
import {
  createInjectionScorer,
  type InjectionExplanation,
  type InjectionScorer,
} from "./injection-scorer.js";

/**
 * Flags 2% of the benign development prompts: the held-out (cross-validated) combined score above which 2% of
 * them fell was 0.666 (docs/safety-injection.md). Every heuristic weighted 0.7 or more flags on its own.
 * Raise it for fewer false positives, lower it to catch more.
 */
export const defaultInjectionThreshold = 0.67;

const shippedScorer: InjectionScorer = createInjectionScorer(
  deserializeClassifier(shippedWeights as SerializedClassifier),
);

/** The combined injection score of a text in [0, 1], with the shipped classifier. */
export function scoreInjection(text: string): number {
  return shippedScorer.score(text);
}

/** The score with its parts and the heuristics that fired, for audit records and debugging. */
export function explainInjection(text: string): InjectionExplanation {
  return shippedScorer.explain(text);
}

export interface InjectionDetectorOptions {
  /** A text is reported when its score is at or above this; defaults to `defaultInjectionThreshold`. */
  readonly threshold?: number;
  /** Another scorer, e.g. one built from retrained weights with `createInjectionScorer`. */
  readonly scorer?: InjectionScorer;
}

/**
 * Reports one whole-text `PROMPT_INJECTION` detection when the text scores at or above the threshold. Use it
 * on user input and on indirect content alike (retrieved documents, tool results, web pages).
 */
export function createInjectionDetector(options: InjectionDetectorOptions = {}): Detector {
  const threshold = options.threshold ?? defaultInjectionThreshold;
  const scorer = options.scorer ?? shippedScorer;
  return {
    family: "injection",
    types: ["PROMPT_INJECTION"],
    detect(text: string): Detection[] {
      const score = scorer.score(text);
      return score >= threshold
        ? [{ family: "injection", type: "PROMPT_INJECTION", start: 0, end: text.length, score }]
        : [];
    },
  };
}
