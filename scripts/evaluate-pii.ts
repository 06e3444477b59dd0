/**
 * Scores the PII detector on a labelled set in the presidio-research format
 * (`[{ full_text, spans: [{ entity_type, start_position, end_position }] }]`).
 *
 *   npx tsx scripts/evaluate-pii.ts [path]   (default: ../shared/data/pii-dev/pii-dev.json)
 *
 * Type mapping (documented in docs/safety.md): gold GPE is scored as LOCATION; predicted DATE_OF_BIRTH as
 * DATE_TIME and URL as DOMAIN_NAME, because that set labels dates of birth as DATE_TIME and whole URLs as
 * DOMAIN_NAME. Every gold span counts in "overall"; "overall, detected types" leaves out gold types the
 * detector has no recognizer for.
 */
import { readFileSync } from "node:fs";
import {
  computeSpanMetrics,
  type EntityMetrics,
  type EvaluationSample,
  type LabelledSpan,
} from "../src/safety/evaluation/span-metrics.js";
import { createPiiDetector } from "../src/safety/pii/create-pii-detector.js";

interface PresidioSpan {
  readonly entity_type: string;
  readonly start_position: number;
  readonly end_position: number;
}

interface PresidioSample {
  readonly full_text: string;
  readonly spans: readonly PresidioSpan[];
}

const goldTypeMapping: Readonly<Record<string, string>> = { GPE: "LOCATION" };
const predictedTypeMapping: Readonly<Record<string, string>> = {
  DATE_OF_BIRTH: "DATE_TIME",
  URL: "DOMAIN_NAME",
};
const patternTypes = new Set([
  "EMAIL_ADDRESS",
  "PHONE_NUMBER",
  "CREDIT_CARD",
  "IBAN_CODE",
  "US_SSN",
  "IP_ADDRESS",
  "DOMAIN_NAME",
]);

function isPresidioSample(value: unknown): value is PresidioSample {
  return (
    typeof value === "object" &&
    value !== null &&
    "full_text" in value &&
    typeof value.full_text === "string" &&
    "spans" in value &&
    Array.isArray(value.spans)
  );
}

function format(value: number | null): string {
  return value === null ? "    -" : value.toFixed(3);
}

function row(metrics: EntityMetrics): string {
  return [
    metrics.type.padEnd(28),
    String(metrics.goldCount).padStart(5),
    String(metrics.predictedCount).padStart(5),
    format(metrics.precision).padStart(9),
    format(metrics.recall).padStart(7),
    format(metrics.f2).padStart(7),
  ].join(" ");
}

const path = process.argv[2] ?? new URL("../../shared/data/pii-dev/pii-dev.json", import.meta.url).pathname;
const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
if (!Array.isArray(parsed) || !parsed.every(isPresidioSample)) {
  throw new Error(`${path}: expected an array of { full_text, spans } samples`);
}

const detector = createPiiDetector();
const detectedTypes = new Set(
  detector.types.map((type) => predictedTypeMapping[type] ?? type).concat(["LOCATION"]),
);
const samples: EvaluationSample[] = parsed.map((sample) => ({
  gold: sample.spans.map(
    (span): LabelledSpan => ({
      type: goldTypeMapping[span.entity_type] ?? span.entity_type,
      start: span.start_position,
      end: span.end_position,
    }),
  ),
  predicted: detector.detect(sample.full_text).map((detection) => ({
    type: predictedTypeMapping[detection.type] ?? detection.type,
    start: detection.start,
    end: detection.end,
  })),
}));

const restrict = (keep: (type: string) => boolean): EvaluationSample[] =>
  samples.map((sample) => ({
    gold: sample.gold.filter((span) => keep(span.type)),
    predicted: sample.predicted.filter((span) => keep(span.type)),
  }));

const overlap = computeSpanMetrics(samples, "overlap");
const exact = computeSpanMetrics(samples, "exact");
console.log(`${path}: ${samples.length} samples, matching = same type and overlapping`);
console.log(`${"type".padEnd(28)}  gold  pred precision  recall      F2`);
for (const metrics of overlap.perType) {
  console.log(row(metrics));
}
console.log("-".repeat(66));
console.log(row({ ...overlap.overall, type: "overall (every gold span)" }));
console.log(
  row({
    ...computeSpanMetrics(restrict((type) => detectedTypes.has(type))).overall,
    type: "overall, detected types",
  }),
);
console.log(
  row({
    ...computeSpanMetrics(restrict((type) => patternTypes.has(type))).overall,
    type: "pattern entities",
  }),
);
console.log(row({ ...exact.overall, type: "overall, exact spans" }));
