/** Detection-rate metrics at fixed false-positive rates, the way a policy threshold is chosen in practice. */
export interface ScoredPrompt {
  readonly score: number;
  readonly label: 0 | 1;
}

/**
 * The threshold that flags at most `falsePositiveRate` of the benign prompts: a prompt is flagged when its
 * score is strictly above it.
 */
export function thresholdAtFalsePositiveRate(
  scored: readonly ScoredPrompt[],
  falsePositiveRate: number,
): number {
  const benignScores = scored
    .filter((prompt) => prompt.label === 0)
    .map((prompt) => prompt.score)
    .sort((left, right) => right - left);
  const allowed = Math.floor(falsePositiveRate * benignScores.length);
  return benignScores[allowed] ?? Number.NEGATIVE_INFINITY;
}

export function rates(scored: readonly ScoredPrompt[], threshold: number): { tpr: number; fpr: number } {
  const positives = scored.filter((prompt) => prompt.label === 1);
  const negatives = scored.filter((prompt) => prompt.label === 0);
  const flagged = (prompts: readonly ScoredPrompt[]) =>
    prompts.filter((prompt) => prompt.score > threshold).length;
  return {
    tpr: positives.length === 0 ? Number.NaN : flagged(positives) / positives.length,
    fpr: negatives.length === 0 ? Number.NaN : flagged(negatives) / negatives.length,
  };
}

/** Area under the ROC curve: the chance a random injection outscores a random benign prompt (ties count half). */
export function areaUnderCurve(scored: readonly ScoredPrompt[]): number {
  const positives = scored.filter((prompt) => prompt.label === 1).map((prompt) => prompt.score);
  const negatives = scored.filter((prompt) => prompt.label === 0).map((prompt) => prompt.score);
  if (positives.length === 0 || negatives.length === 0) {
    return Number.NaN;
  }
  let wins = 0;
  for (const positive of positives) {
    for (const negative of negatives) {
      wins += positive > negative ? 1 : positive === negative ? 0.5 : 0;
    }
  }
  return wins / (positives.length * negatives.length);
}
