import type { Detector, DetectorFamily } from "../core/detection.js";
import { type CanaryToken, createCanaryLeakDetector } from "./injection/canary-token.js";
import { createInjectionDetector } from "./injection/injection-detector.js";
import { createModerationDetector } from "./moderation/moderation-detector.js";
import { createPiiDetector } from "./pii/create-pii-detector.js";
import { createSecretsDetector } from "./secrets/secrets-detector.js";

/** The families that judge a text on its own (`canary` needs the gateway's marker, so it is not among them). */
export const detectorFamilies: readonly DetectorFamily[] = ["pii", "secrets", "injection", "moderation"];

export interface DetectorOptions {
  /** Report every text's injection score from this score on (default: the detector's own threshold). */
  readonly injectionThreshold?: number;
  /** The marker the `canary` family looks for; required when that family is asked for. */
  readonly canary?: CanaryToken;
}

const factories: Readonly<Record<DetectorFamily, (options: DetectorOptions) => Detector>> = {
  pii: () => createPiiDetector(),
  secrets: () => createSecretsDetector(),
  injection: (options) =>
    createInjectionDetector(
      options.injectionThreshold === undefined ? {} : { threshold: options.injectionThreshold },
    ),
  moderation: () => createModerationDetector(),
  canary: (options) => {
    if (options.canary === undefined) throw new Error("the canary detector needs the gateway's canary token");
    return createCanaryLeakDetector(options.canary);
  },
};

/**
 * The built-in detectors of the given families, with their default thresholds: the one place the gateway and
 * `switchyard scan` get them from, so both run the same detectors. Only the families asked for are built
 * (the PII gazetteers take memory and start-up time). Each detector runs once on a short text before it is
 * returned, so loading its word lists is paid at start-up, not by the first request.
 */
export function createDetectors(
  families: Iterable<DetectorFamily>,
  options: DetectorOptions = {},
): Detector[] {
  return [...new Set(families)].map((family) => {
    const detector = factories[family](options);
    detector.detect("Warm-up: Jane Doe of Springfield, jane@example.com.");
    return detector;
  });
}
