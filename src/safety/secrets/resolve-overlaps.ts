import type { SecretCandidate } from "./secret-rule.js";

/**
 * Keeps, among candidates whose spans overlap, the most certain (then the longest) and drops the rest, so a
 * key inside a connection string or an `api_key = …` line is reported once, as its most specific type.
 * Candidates are grouped into runs of transitively overlapping spans and resolved run by run.
 */
export function resolveOverlaps(candidates: readonly SecretCandidate[]): SecretCandidate[] {
  const byStart = [...candidates].sort((left, right) => left.start - right.start || right.end - left.end);
  const kept: SecretCandidate[] = [];
  let run: SecretCandidate[] = [];
  let runEnd = -1;
  for (const candidate of byStart) {
    if (candidate.start >= runEnd && run.length > 0) {
      kept.push(...resolveRun(run));
      run = [];
    }
    run.push(candidate);
    runEnd = Math.max(runEnd, candidate.end);
  }
  kept.push(...resolveRun(run));
  return kept.sort((left, right) => left.start - right.start);
}

function resolveRun(run: readonly SecretCandidate[]): SecretCandidate[] {
  if (run.length <= 1) return [...run];
  const byCertainty = [...run].sort(
    (left, right) => right.score - left.score || right.end - right.start - (left.end - left.start),
  );
  const chosen: SecretCandidate[] = [];
  for (const candidate of byCertainty) {
    if (chosen.every((other) => candidate.end <= other.start || candidate.start >= other.end)) {
      chosen.push(candidate);
    }
  }
  return chosen;
}
