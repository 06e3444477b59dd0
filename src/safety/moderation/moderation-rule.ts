import type { ModerationCategory } from "../../core/moderation-category.js";

/**
 * One piece of evidence for one or more categories. `weight` is how much a single match, in a neutral
 * sentence, says about the categories: the detector combines the weights of the matches in a sentence as
 * independent evidence (noisy-or), so two weak cues can together cross the reporting threshold.
 */
export interface ModerationRule {
  readonly categories: readonly ModerationCategory[];
  /** Global, case-insensitive; matches a phrase, never an unbounded span. */
  readonly pattern: RegExp;
  readonly weight: number;
  /**
   * Words that, anywhere in the sentence, halve the weight. Defaults to the help/news/fiction frame; sexual
   * rules use a clinical frame instead, since fiction does not make explicit content less explicit.
   */
  readonly mitigatedBy?: RegExp;
}
