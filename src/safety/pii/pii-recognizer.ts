import type { PiiEntityType } from "./pii-entity-type.js";

/** One finding of one recognizer, before overlaps between recognizers are resolved. */
export interface PiiCandidate {
  readonly type: PiiEntityType;
  /** UTF-16 offsets, end exclusive. */
  readonly start: number;
  readonly end: number;
  readonly score: number;
}

/**
 * A recognizer finds one family of entities. It is pure and synchronous, and every RegExp it uses is listed
 * in `patterns` so that a test can check each for catastrophic backtracking.
 */
export interface PiiRecognizer {
  readonly types: readonly PiiEntityType[];
  readonly patterns: readonly RegExp[];
  recognize(text: string): PiiCandidate[];
}
