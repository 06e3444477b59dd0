import type { LinearModel } from "./logistic-regression.js";

/**
 * The committed classifier, stored compactly: weights quantised to signed bytes (`value × scale`), only the
 * non-zero ones kept, their indices as base64 of LEB128-encoded gaps and their values as base64 of int8.
 */
export interface SerializedClassifier {
  readonly format: "switchyard-injection-classifier/1";
  readonly dimension: number;
  readonly bias: number;
  readonly scale: number;
  readonly indexGaps: string;
  readonly values: string;
  /** How the weights were made: the data set, its size after de-duplication and the training options. */
  readonly trainedWith: Readonly<Record<string, string | number>>;
}

const quantisationLevels = 127;

export function serializeClassifier(
  model: LinearModel,
  trainedWith: Readonly<Record<string, string | number>>,
): SerializedClassifier {
  let largest = 0;
  for (const weight of model.weights) {
    largest = Math.max(largest, Math.abs(weight));
  }
  const scale = largest === 0 ? 1 : largest / quantisationLevels;
  const gapBytes: number[] = [];
  const valueBytes: number[] = [];
  let previousIndex = 0;
  model.weights.forEach((weight, index) => {
    const quantised = Math.round(weight / scale);
    if (quantised === 0) {
      return;
    }
    let gap = index - previousIndex;
    previousIndex = index;
    while (gap >= 0x80) {
      gapBytes.push((gap & 0x7f) | 0x80);
      gap >>>= 7;
    }
    gapBytes.push(gap);
    valueBytes.push(quantised & 0xff);
  });
  return {
    format: "switchyard-injection-classifier/1",
    dimension: model.weights.length,
    bias: model.bias,
    scale,
    indexGaps: Buffer.from(gapBytes).toString("base64"),
    values: Buffer.from(valueBytes).toString("base64"),
    trainedWith,
  };
}

export function deserializeClassifier(serialized: SerializedClassifier): LinearModel {
  const weights = new Float32Array(serialized.dimension);
  const gaps = Buffer.from(serialized.indexGaps, "base64");
  const values = new Int8Array(Buffer.from(serialized.values, "base64"));
  let index = 0;
  let cursor = 0;
  for (const value of values) {
    let gap = 0;
    let shift = 0;
    let byte = 0x80;
    while (byte & 0x80 && cursor < gaps.length) {
      byte = gaps[cursor] ?? 0;
      cursor += 1;
      gap |= (byte & 0x7f) << shift;
      shift += 7;
    }
    index += gap;
    if (index < weights.length) {
      weights[index] = value * serialized.scale;
    }
  }
  return { bias: serialized.bias, weights };
}
