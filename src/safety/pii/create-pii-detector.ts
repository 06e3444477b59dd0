import type { Detection, Detector } from "../../core/detection.js";
import { createAgeRecognizer } from "./age-recognizer.js";
import { contextWordPatterns } from "./context-words.js";
import { createCreditCardRecognizer } from "./credit-card-recognizer.js";
import { createDateRecognizer } from "./date-recognizer.js";
import { createEmailRecognizer } from "./email-recognizer.js";
import { createIbanRecognizer } from "./iban-recognizer.js";
import { createIpAddressRecognizer } from "./ip-address-recognizer.js";
import { createLocationRecognizer } from "./location-recognizer.js";
import { createNrpRecognizer } from "./nrp-recognizer.js";
import { createOccupationTitleRecognizer } from "./occupation-title-recognizer.js";
import { createOrganizationRecognizer } from "./organization-recognizer.js";
import { createPersonRecognizer } from "./person-recognizer.js";
import { createPhoneRecognizer } from "./phone-recognizer.js";
import { type PiiEntityType, piiEntityTypes } from "./pii-entity-type.js";
import type { PiiCandidate, PiiRecognizer } from "./pii-recognizer.js";
import { resolveOverlaps } from "./resolve-overlaps.js";
import { createStreetAddressRecognizer } from "./street-address-recognizer.js";
import { createUrlRecognizer } from "./url-recognizer.js";
import { createUsDriverLicenseRecognizer } from "./us-driver-license-recognizer.js";
import { createUsSsnRecognizer } from "./us-ssn-recognizer.js";
import { wordTokenPatterns } from "./word-tokens.js";
import { createZipCodeRecognizer } from "./zip-code-recognizer.js";

export interface PiiTypeOptions {
  /** Default true. */
  readonly enabled?: boolean;
  /** Detections of this type scoring below it are dropped; overrides `minimumScore`. */
  readonly minimumScore?: number;
}

export interface PiiDetectorOptions {
  /** Detections scoring below it are dropped. Default 0.4. */
  readonly minimumScore?: number;
  readonly types?: Partial<Record<PiiEntityType, PiiTypeOptions>>;
}

export const defaultPiiMinimumScore = 0.4;

/** Every recognizer, in no meaningful order: overlaps are resolved by score, not by position in this list. */
export function createPiiRecognizers(): PiiRecognizer[] {
  return [
    createEmailRecognizer(),
    createPhoneRecognizer(),
    createCreditCardRecognizer(),
    createIbanRecognizer(),
    createUsSsnRecognizer(),
    createIpAddressRecognizer(),
    createUrlRecognizer(),
    createDateRecognizer(),
    createUsDriverLicenseRecognizer(),
    createLocationRecognizer(),
    createPersonRecognizer(),
    createStreetAddressRecognizer(),
    createAgeRecognizer(),
    createZipCodeRecognizer(),
    createNrpRecognizer(),
    createOrganizationRecognizer(),
    createOccupationTitleRecognizer(),
  ];
}

function isEnabled(type: PiiEntityType, options: PiiDetectorOptions): boolean {
  return options.types?.[type]?.enabled !== false;
}

function meetsMinimum(candidate: PiiCandidate, options: PiiDetectorOptions): boolean {
  const minimum =
    options.types?.[candidate.type]?.minimumScore ?? options.minimumScore ?? defaultPiiMinimumScore;
  return candidate.score >= minimum;
}

/**
 * The PII detector: every recognizer runs over the text, candidates below their minimum score are dropped,
 * overlaps are resolved (see resolve-overlaps.ts), and only then are disabled types removed, so that a card
 * number stays a card number (and unreported) when CREDIT_CARD is off rather than resurfacing as a phone
 * number. A recognizer that throws is a bug; the detector still honours the never-throw contract by
 * reporting what the others found.
 */
export function createPiiDetector(options: PiiDetectorOptions = {}): Detector {
  const recognizers = createPiiRecognizers();
  const types = piiEntityTypes.filter(
    (type) => isEnabled(type, options) && recognizers.some((recognizer) => recognizer.types.includes(type)),
  );
  return {
    family: "pii",
    types,
    detect(text: string): Detection[] {
      const candidates: PiiCandidate[] = [];
      for (const recognizer of recognizers) {
        try {
          for (const candidate of recognizer.recognize(text)) {
            if (meetsMinimum(candidate, options)) {
              candidates.push(candidate);
            }
          }
        } catch {
          // A recognizer bug must not take the request down; the others' findings still count.
        }
      }
      return resolveOverlaps(candidates)
        .filter((candidate) => isEnabled(candidate.type, options))
        .map((candidate) => ({
          family: "pii",
          type: candidate.type,
          start: candidate.start,
          end: candidate.end,
          score: Math.round(candidate.score * 100) / 100,
        }));
    },
  };
}

/** Every RegExp the PII detector uses (recognizers and shared tokenizers), for the ReDoS check. */
export const piiRegExps: readonly RegExp[] = [
  ...contextWordPatterns,
  ...wordTokenPatterns,
  ...createPiiRecognizers().flatMap((recognizer) => [...recognizer.patterns]),
];
