import type { Detector, DetectorFamily } from "../core/detection.js";
import { createInjectionDetector } from "./injection/injection-detector.js";
import { createModerationDetector } from "./moderation/moderation-detector.js";
import { createPiiDetector } from "./pii/create-pii-detector.js";
import { createSecretsDetector } from "./secrets/secrets-detector.js";

export const detectorFamilies: readonly DetectorFamily[] = ["pii", "secrets", "injection", "moderation"];

const factories: Readonly<Record<DetectorFamily, () => Detector>> = {
  pii: () => createPiiDetector(),
  secrets: () => createSecretsDetector(),
  injection: () => createInjectionDetector(),
  moderation: () => createModerationDetector(),
};

/**
 * The built-in detectors of the given families, with their default thresholds: the one place the gateway and
 * `switchyard scan` get them from, so both run the same detectors. Only the families asked for are built
 * (the PII gazetteers take memory and start-up time).
 */
export function createDetectors(families: Iterable<DetectorFamily>): Detector[] {
  return [...new Set(families)].map((family) => factories[family]());
}
