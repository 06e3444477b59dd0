import { describe, expect, it } from "vitest";
import { deserializeClassifier, serializeClassifier } from "./classifier-weights.js";
import { featureBucketCount } from "./hashed-text-features.js";
import shippedWeights from "./injection-classifier-weights.json" with { type: "json" };

describe("serializeClassifier", () => {
  it("round-trips weights within half a quantisation step and drops the ones that round to zero", () => {
    const weights = new Float32Array(100_000);
    weights[0] = 1.27;
    weights[5] = -0.5;
    weights[300] = 0.001;
    weights[99_999] = 0.3;
    const serialized = serializeClassifier({ bias: -0.75, weights }, { note: "test" });
    const restored = deserializeClassifier(serialized);
    expect(restored.bias).toBe(-0.75);
    expect(Buffer.from(serialized.values, "base64")).toHaveLength(3);
    for (const index of [0, 5, 99_999]) {
      expect(Math.abs((restored.weights[index] ?? 0) - (weights[index] ?? 0))).toBeLessThanOrEqual(
        serialized.scale / 2 + 1e-7,
      );
    }
    expect(restored.weights[300]).toBe(0);
  });

  it("reads the shipped weights", () => {
    expect(shippedWeights.format).toBe("switchyard-injection-classifier/1");
    expect(shippedWeights.dimension).toBe(featureBucketCount);
    const model = deserializeClassifier({ ...shippedWeights, format: "switchyard-injection-classifier/1" });
    expect(model.weights.some((weight) => weight > 0)).toBe(true);
    expect(model.weights.some((weight) => weight < 0)).toBe(true);
  });
});
