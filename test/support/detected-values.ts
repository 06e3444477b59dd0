import type { Detection } from "../../src/core/detection.js";
import { createPiiDetector } from "../../src/safety/pii/create-pii-detector.js";

const detector = createPiiDetector();

/** The substrings the default PII detector reports as `type`. */
export function detectedValues(text: string, type: string): string[] {
  return detector
    .detect(text)
    .filter((detection) => detection.type === type)
    .map((detection) => text.slice(detection.start, detection.end));
}

export function piiDetections(text: string): Detection[] {
  return detector.detect(text);
}
