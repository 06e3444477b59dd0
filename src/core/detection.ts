/**
 * What a safety detector reports about a piece of text. Detectors (src/safety) are pure, synchronous
 * functions of the text; the policy engine decides what to do with their detections.
 */

/**
 * The detector families a policy can switch on. `canary` finds the gateway's canary marker in model output:
 * a policy that uses it also makes the gateway add the marker to the request's system prompt.
 */
export type DetectorFamily = "pii" | "secrets" | "injection" | "moderation" | "canary";

export interface Detection {
  readonly family: DetectorFamily;
  /**
   * The entity or category, upper snake case and stable (it appears in policies, audit records and reports):
   * e.g. `EMAIL_ADDRESS`, `CREDIT_CARD`, `AWS_ACCESS_KEY`, `PROMPT_INJECTION`, `CANARY_LEAK`.
   */
  readonly type: string;
  /** UTF-16 offsets into the scanned text, end exclusive. Whole-text verdicts span the whole text. */
  readonly start: number;
  readonly end: number;
  /** Confidence in [0, 1]; policies compare it with their thresholds. */
  readonly score: number;
}

/** A detector over one text. It never throws on any input and runs in time linear in the text's length. */
export interface Detector {
  readonly family: DetectorFamily;
  /** The `type` values it can report, for policy validation and reports. */
  readonly types: readonly string[];
  detect(text: string): Detection[];
}
