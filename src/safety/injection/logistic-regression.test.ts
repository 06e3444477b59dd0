import { describe, expect, it } from "vitest";
import type { SparseVector } from "./hashed-text-features.js";
import {
  calibrateModel,
  fitLogitCalibration,
  type LabelledVector,
  linearLogit,
  sigmoid,
  trainLogisticRegression,
} from "./logistic-regression.js";

function vector(indices: number[]): SparseVector {
  return {
    indices: Uint32Array.from(indices),
    values: new Float32Array(indices.length).fill(1 / Math.sqrt(indices.length)),
  };
}

// Feature 0 marks injections, feature 1 benign texts; feature 2 is noise shared by both.
const samples: LabelledVector[] = [
  { features: vector([0, 2]), label: 1, weight: 0.25 },
  { features: vector([0]), label: 1, weight: 0.25 },
  { features: vector([1, 2]), label: 0, weight: 0.25 },
  { features: vector([1]), label: 0, weight: 0.25 },
];
const options = { dimension: 4, epochs: 100, learningRate: 1, l2: 1e-3 };

describe("trainLogisticRegression", () => {
  it("learns the feature that separates the classes", () => {
    const model = trainLogisticRegression(samples, options);
    expect(model.weights[0]).toBeGreaterThan(1);
    expect(model.weights[1]).toBeLessThan(-1);
    expect(Math.abs(model.weights[2] ?? 0)).toBeLessThan(Math.abs(model.weights[0] ?? 0) / 4);
    expect(sigmoid(linearLogit(model, vector([0])))).toBeGreaterThan(0.8);
    expect(sigmoid(linearLogit(model, vector([1])))).toBeLessThan(0.2);
  });

  it("is deterministic", () => {
    expect(trainLogisticRegression(samples, options)).toEqual(trainLogisticRegression(samples, options));
  });

  it("shrinks weights as the L2 penalty grows", () => {
    const weak = trainLogisticRegression(samples, options);
    const strong = trainLogisticRegression(samples, { ...options, l2: 1 });
    expect(Math.abs(strong.weights[0] ?? 0)).toBeLessThan(Math.abs(weak.weights[0] ?? 0) / 2);
  });

  it("follows sample weights", () => {
    const conflicting: LabelledVector[] = [
      { features: vector([3]), label: 1, weight: 0.9 },
      { features: vector([3]), label: 0, weight: 0.1 },
    ];
    const model = trainLogisticRegression(conflicting, options);
    expect(sigmoid(linearLogit(model, vector([3])))).toBeGreaterThan(0.7);
  });
});

describe("fitLogitCalibration", () => {
  it("spreads out shrunk logits and moves the boundary to where the classes meet", () => {
    // Positives at 0.3 and 0.5, negatives at 0.1 and -0.1: the boundary lies near 0.2, far from 0.
    const logits = [0.3, 0.5, 0.1, -0.1];
    const labels: Array<0 | 1> = [1, 1, 0, 0];
    const calibration = fitLogitCalibration(logits, labels, [0.25, 0.25, 0.25, 0.25]);
    expect(calibration.slope).toBeGreaterThan(5);
    expect(sigmoid(calibration.slope * 0.3 + calibration.intercept)).toBeGreaterThan(0.8);
    expect(sigmoid(calibration.slope * 0.1 + calibration.intercept)).toBeLessThan(0.2);
  });

  it("folds into the model: the calibrated model's logit is the calibrated logit", () => {
    const model = trainLogisticRegression(samples, options);
    const calibration = { slope: 3, intercept: -0.5 };
    const features = vector([0, 2]);
    expect(linearLogit(calibrateModel(model, calibration), features)).toBeCloseTo(
      3 * linearLogit(model, features) - 0.5,
      5,
    );
  });
});
