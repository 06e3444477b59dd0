import { describe, expect, it } from "vitest";
import { computeSpanMetrics, fBeta } from "./span-metrics.js";

describe("computeSpanMetrics", () => {
  it("counts a gold span as recalled when a prediction of the same type overlaps it", () => {
    const report = computeSpanMetrics([
      {
        gold: [
          { type: "PERSON", start: 0, end: 10 },
          { type: "EMAIL_ADDRESS", start: 20, end: 30 },
        ],
        predicted: [
          { type: "PERSON", start: 5, end: 12 },
          { type: "PHONE_NUMBER", start: 20, end: 30 },
        ],
      },
    ]);
    const person = report.perType.find((metrics) => metrics.type === "PERSON");
    expect(person).toMatchObject({ goldCount: 1, recalledGold: 1, predictedCount: 1, correctPredicted: 1 });
    const email = report.perType.find((metrics) => metrics.type === "EMAIL_ADDRESS");
    expect(email).toMatchObject({ goldCount: 1, recalledGold: 0, predictedCount: 0, precision: null, f2: 0 });
    const phone = report.perType.find((metrics) => metrics.type === "PHONE_NUMBER");
    expect(phone).toMatchObject({ goldCount: 0, predictedCount: 1, precision: 0, recall: null });
    expect(report.overall).toMatchObject({
      goldCount: 2,
      recalledGold: 1,
      predictedCount: 2,
      correctPredicted: 1,
    });
  });

  it("lets one prediction recall a gold entity labelled in pieces", () => {
    const report = computeSpanMetrics([
      {
        gold: [
          { type: "STREET_ADDRESS", start: 0, end: 4 },
          { type: "STREET_ADDRESS", start: 5, end: 15 },
        ],
        predicted: [{ type: "STREET_ADDRESS", start: 0, end: 15 }],
      },
    ]);
    expect(report.overall).toMatchObject({ recall: 1, precision: 1, f2: 1 });
  });

  it("does not match spans that only touch (end is exclusive)", () => {
    const report = computeSpanMetrics([
      { gold: [{ type: "URL", start: 0, end: 5 }], predicted: [{ type: "URL", start: 5, end: 9 }] },
    ]);
    expect(report.overall).toMatchObject({ recalledGold: 0, correctPredicted: 0 });
  });

  it("requires identical offsets under exact matching", () => {
    const samples = [
      {
        gold: [{ type: "PERSON", start: 0, end: 10 }],
        predicted: [
          { type: "PERSON", start: 0, end: 9 },
          { type: "PERSON", start: 0, end: 10 },
        ],
      },
    ];
    expect(computeSpanMetrics(samples, "exact").overall).toMatchObject({
      recalledGold: 1,
      correctPredicted: 1,
    });
    expect(computeSpanMetrics(samples, "overlap").overall).toMatchObject({ correctPredicted: 2 });
  });

  it("computes F2 weighting recall four times as much as precision", () => {
    expect(fBeta(0.5, 1)).toBeCloseTo((5 * 0.5) / (4 * 0.5 + 1), 10);
    expect(fBeta(1, 0.5)).toBeCloseTo((5 * 0.5) / (4 + 0.5), 10);
    expect(fBeta(null, 1)).toBe(0);
  });
});
