/**
 * The PII report shared by `scripts/evaluate-pii.ts` (detector called in-process) and
 * `scripts/evaluate-detectors.ts` (through `switchyard scan`): span-level precision, recall and F2 per type,
 * overall, on the detected types only, on the pattern entities, and with exact spans.
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

export const defaultPiiDatasetPath = new URL("../../shared/data/pii-dev/pii-dev.json", import.meta.url)
  .pathname;

export interface PresidioSpan {
  readonly entity_type: string;
  readonly start_position: number;
  readonly end_position: number;
}

export interface PresidioSample {
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

export function loadPresidioSamples(path: string): PresidioSample[] {
  const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
  if (!Array.isArray(parsed) || !parsed.every(isPresidioSample)) {
    throw new Error(`${path}: expected an array of { full_text, spans } samples`);
  }
  return parsed;
}

/** Prints the report for `samples` given each sample's predicted spans (in the detector's own types). */
export function printPiiReport(
  label: string,
  samples: readonly PresidioSample[],
  predictions: readonly (readonly LabelledSpan[])[],
  detectorTypes: readonly string[],
): void {
  const detectedTypes = new Set(
    detectorTypes.map((type) => predictedTypeMapping[type] ?? type).concat(["LOCATION"]),
  );
  const evaluated: EvaluationSample[] = samples.map((sample, index) => ({
    gold: sample.spans.map(
      (span): LabelledSpan => ({
        type: goldTypeMapping[span.entity_type] ?? span.entity_type,
        start: span.start_position,
        end: span.end_position,
      }),
    ),
    predicted: (predictions[index] ?? []).map((span) => ({
      type: predictedTypeMapping[span.type] ?? span.type,
      start: span.start,
      end: span.end,
    })),
  }));
  const restrict = (keep: (type: string) => boolean): EvaluationSample[] =>
    evaluated.map((sample) => ({
      gold: sample.gold.filter((span) => keep(span.type)),
      predicted: sample.predicted.filter((span) => keep(span.type)),
    }));

  const overlap = computeSpanMetrics(evaluated, "overlap");
  const exact = computeSpanMetrics(evaluated, "exact");
  console.log(`${label}: ${samples.length} samples, matching = same type and overlapping`);
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
}
