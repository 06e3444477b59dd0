import type { Detection } from "../../core/detection.js";
import { createPiiDetector } from "./create-pii-detector.js";

const detector = createPiiDetector();

/** The substrings the default detector reports as `type`. */
export function detectedValues(text: string, type: string): string[] {
  return detector
    .detect(text)
    .filter((detection) => detection.type === type)
    .map((detection) => text.slice(detection.start, detection.end));
}

export function detections(text: string): Detection[] {
  return detector.detect(text);
}
