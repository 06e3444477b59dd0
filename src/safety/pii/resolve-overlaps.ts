import type { PiiEntityType } from "./pii-entity-type.js";
import type { PiiCandidate } from "./pii-recognizer.js";

/**
 * Types that are made of other entities, with the types they may contain: an address holds a city, a
 * postcode. Those may overlap it; every other overlap keeps one detection
 * (a phone number inside an address is a misreading of the house and flat numbers).
 */
const compositeTypes: ReadonlyMap<PiiEntityType, ReadonlySet<PiiEntityType>> = new Map([
  ["STREET_ADDRESS", new Set<PiiEntityType>(["LOCATION", "ZIP_CODE"])],
]);

function mayContain(outer: PiiEntityType, inner: PiiEntityType): boolean {
  return compositeTypes.get(outer)?.has(inner) === true;
}

function overlaps(first: PiiCandidate, second: PiiCandidate): boolean {
  return first.start < second.end && second.start < first.end;
}

function conflicts(first: PiiCandidate, second: PiiCandidate): boolean {
  if (!overlaps(first, second)) {
    return false;
  }
  if (first.type === second.type) {
    return true;
  }
  return !mayContain(first.type, second.type) && !mayContain(second.type, first.type);
}

/** Kept detections indexed by 64-unit buckets of the text, so a conflict check looks only nearby. */
const bucketWidth = 64;

class KeptIndex {
  private readonly buckets = new Map<number, PiiCandidate[]>();

  add(candidate: PiiCandidate): void {
    for (let bucket = this.first(candidate); bucket <= this.last(candidate); bucket += 1) {
      const list = this.buckets.get(bucket);
      if (list === undefined) {
        this.buckets.set(bucket, [candidate]);
      } else {
        list.push(candidate);
      }
    }
  }

  conflictsWith(candidate: PiiCandidate): boolean {
    for (let bucket = this.first(candidate); bucket <= this.last(candidate); bucket += 1) {
      if (this.buckets.get(bucket)?.some((other) => conflicts(candidate, other)) === true) {
        return true;
      }
    }
    return false;
  }

  private first(candidate: PiiCandidate): number {
    return Math.floor(candidate.start / bucketWidth);
  }

  private last(candidate: PiiCandidate): number {
    return Math.floor(Math.max(candidate.start, candidate.end - 1) / bucketWidth);
  }
}

/**
 * Keeps, among conflicting candidates, the higher score, then the longer span, then the earlier one.
 * Candidates are visited best first, so the result does not depend on recognizer order.
 */
export function resolveOverlaps(candidates: readonly PiiCandidate[]): PiiCandidate[] {
  const ranked = [...candidates].sort(
    (first, second) =>
      second.score - first.score ||
      second.end - second.start - (first.end - first.start) ||
      first.start - second.start,
  );
  const index = new KeptIndex();
  const kept: PiiCandidate[] = [];
  for (const candidate of ranked) {
    if (!index.conflictsWith(candidate)) {
      index.add(candidate);
      kept.push(candidate);
    }
  }
  return kept.sort((first, second) => first.start - second.start || first.end - second.end);
}
