/**
 * Span-level precision, recall and F2 for entity detectors.
 *
 * Matching rule ("type-equal and overlapping"): a gold span is recalled when at least one predicted span of
 * the same type overlaps it by one character or more; a predicted span is correct when it overlaps at least
 * one gold span of the same type. Gold and prediction are counted separately, so one predicted address that
 * covers a gold address labelled in three pieces recalls all three and counts as one correct prediction.
 * The reason: gold segmentation of composite entities (addresses, names with titles) is arbitrary across
 * data sets, and Presidio-research scores at token level, which is just as indifferent to segmentation.
 * `exact` (same type, same start and end) is available for a stricter view.
 */

export interface LabelledSpan {
  readonly type: string;
  readonly start: number;
  readonly end: number;
}

export interface EvaluationSample {
  readonly gold: readonly LabelledSpan[];
  readonly predicted: readonly LabelledSpan[];
}

export type SpanMatching = "overlap" | "exact";

export interface EntityMetrics {
  readonly type: string;
  readonly goldCount: number;
  readonly predictedCount: number;
  /** Gold spans matched by a prediction. */
  readonly recalledGold: number;
  /** Predictions matching a gold span. */
  readonly correctPredicted: number;
  /** null when nothing was predicted (undefined, not zero). */
  readonly precision: number | null;
  /** null when the type has no gold spans. */
  readonly recall: number | null;
  /** F-beta with beta 2 (recall weighs four times precision); 0 when either is 0 or undefined. */
  readonly f2: number;
}

export interface SpanMetricsReport {
  readonly perType: readonly EntityMetrics[];
  /** Micro-averaged over every gold span and every prediction of every type. */
  readonly overall: EntityMetrics;
}

interface Counts {
  goldCount: number;
  predictedCount: number;
  recalledGold: number;
  correctPredicted: number;
}

function matches(first: LabelledSpan, second: LabelledSpan, matching: SpanMatching): boolean {
  if (first.type !== second.type) {
    return false;
  }
  if (matching === "exact") {
    return first.start === second.start && first.end === second.end;
  }
  return first.start < second.end && second.start < first.end;
}

export function fBeta(precision: number | null, recall: number | null, beta = 2): number {
  if (precision === null || recall === null || precision === 0 || recall === 0) {
    return 0;
  }
  const betaSquared = beta * beta;
  return ((1 + betaSquared) * precision * recall) / (betaSquared * precision + recall);
}

function toMetrics(type: string, counts: Counts): EntityMetrics {
  const precision = counts.predictedCount === 0 ? null : counts.correctPredicted / counts.predictedCount;
  const recall = counts.goldCount === 0 ? null : counts.recalledGold / counts.goldCount;
  return { type, ...counts, precision, recall, f2: fBeta(precision, recall) };
}

export function computeSpanMetrics(
  samples: readonly EvaluationSample[],
  matching: SpanMatching = "overlap",
): SpanMetricsReport {
  const byType = new Map<string, Counts>();
  const countsFor = (type: string): Counts => {
    let counts = byType.get(type);
    if (counts === undefined) {
      counts = { goldCount: 0, predictedCount: 0, recalledGold: 0, correctPredicted: 0 };
      byType.set(type, counts);
    }
    return counts;
  };
  for (const sample of samples) {
    for (const gold of sample.gold) {
      const counts = countsFor(gold.type);
      counts.goldCount += 1;
      if (sample.predicted.some((predicted) => matches(gold, predicted, matching))) {
        counts.recalledGold += 1;
      }
    }
    for (const predicted of sample.predicted) {
      const counts = countsFor(predicted.type);
      counts.predictedCount += 1;
      if (sample.gold.some((gold) => matches(gold, predicted, matching))) {
        counts.correctPredicted += 1;
      }
    }
  }
  const total: Counts = { goldCount: 0, predictedCount: 0, recalledGold: 0, correctPredicted: 0 };
  for (const counts of byType.values()) {
    total.goldCount += counts.goldCount;
    total.predictedCount += counts.predictedCount;
    total.recalledGold += counts.recalledGold;
    total.correctPredicted += counts.correctPredicted;
  }
  const perType = [...byType.entries()]
    .map(([type, counts]) => toMetrics(type, counts))
    .sort((first, second) => second.goldCount - first.goldCount || first.type.localeCompare(second.type));
  return { perType, overall: toMetrics("overall", total) };
}
