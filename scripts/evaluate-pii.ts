/**
 * Scores the PII detector, called in-process, on a labelled set in the presidio-research format
 * (`[{ full_text, spans: [{ entity_type, start_position, end_position }] }]`). `npm run eval:detectors` gives
 * the same report through `switchyard scan`.
 *
 *   npx tsx scripts/evaluate-pii.ts [path]   (default: ../shared/data/pii-dev/pii-dev.json)
 */
import { createPiiDetector } from "../src/safety/pii/create-pii-detector.js";
import { defaultPiiDatasetPath, loadPresidioSamples, printPiiReport } from "./pii-report.js";

const path = process.argv[2] ?? defaultPiiDatasetPath;
const samples = loadPresidioSamples(path);
const detector = createPiiDetector();
printPiiReport(
  path,
  samples,
  samples.map((sample) => detector.detect(sample.full_text)),
  detector.types,
);
