import { describe, expect, it } from "vitest";
import { piiDetections } from "../../../test/support/detected-values.js";
import { createPiiDetector } from "./create-pii-detector.js";

const sample = "Mail jane@example.com, call +44 20 7946 0958, card 4111 1111 1111 1111, in Copenhagen.";

describe("createPiiDetector", () => {
  it("implements the Detector contract: family pii, declared types, scores in [0, 1]", () => {
    const detector = createPiiDetector();
    expect(detector.family).toBe("pii");
    const found = detector.detect(sample);
    expect(found.map((detection) => detection.type)).toEqual([
      "EMAIL_ADDRESS",
      "PHONE_NUMBER",
      "CREDIT_CARD",
      "LOCATION",
    ]);
    for (const detection of found) {
      expect(detection.family).toBe("pii");
      expect(detector.types).toContain(detection.type);
      expect(detection.score).toBeGreaterThanOrEqual(0);
      expect(detection.score).toBeLessThanOrEqual(1);
      expect(detection.end).toBeGreaterThan(detection.start);
    }
  });

  it("drops disabled types and does not list them", () => {
    const detector = createPiiDetector({
      types: { CREDIT_CARD: { enabled: false }, LOCATION: { enabled: false } },
    });
    expect(detector.types).not.toContain("CREDIT_CARD");
    expect(detector.detect(sample).map((detection) => detection.type)).toEqual([
      "EMAIL_ADDRESS",
      "PHONE_NUMBER",
    ]);
  });

  it("applies the minimum score, overall and per type", () => {
    const all = createPiiDetector({ minimumScore: 0 }).detect(sample);
    const strict = createPiiDetector({ minimumScore: 0.99 }).detect(sample);
    expect(strict.length).toBeLessThan(all.length);
    expect(strict.every((detection) => detection.score >= 0.99)).toBe(true);
    const emailOnlyStrict = createPiiDetector({ types: { EMAIL_ADDRESS: { minimumScore: 1.01 } } }).detect(
      sample,
    );
    expect(emailOnlyStrict.map((detection) => detection.type)).not.toContain("EMAIL_ADDRESS");
    expect(emailOnlyStrict.map((detection) => detection.type)).toContain("PHONE_NUMBER");
  });

  it("raises the score with context words", () => {
    const [plain] = createPiiDetector().detect("ref 4111 1111 1111 1111");
    const [withContext] = createPiiDetector().detect("credit card 4111 1111 1111 1111");
    expect(plain?.type).toBe("CREDIT_CARD");
    expect(withContext?.score).toBeGreaterThan(plain?.score ?? 1);
  });

  it("keeps one detection where two types claim the same characters", () => {
    const found = createPiiDetector().detect("His social security number is 536-22-8726");
    expect(found.map((detection) => detection.type)).toEqual(["US_SSN"]);
  });

  it("returns nothing for empty or PII-free text", () => {
    expect(createPiiDetector().detect("")).toEqual([]);
    expect(createPiiDetector().detect("the weather is nice today")).toEqual([]);
  });
});

describe("offsets", () => {
  it("are UTF-16 offsets, correct after astral characters", () => {
    const text = "😀🎉 𝒳 mail jane@example.com or call +44 20 7946 0958";
    for (const detection of piiDetections(text)) {
      const value = text.slice(detection.start, detection.end);
      expect(["jane@example.com", "+44 20 7946 0958"]).toContain(value);
    }
    expect(piiDetections(text).map((detection) => detection.start)).toEqual([
      text.indexOf("jane@"),
      text.indexOf("+44"),
    ]);
  });
});
