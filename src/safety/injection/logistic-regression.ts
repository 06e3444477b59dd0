import type { SparseVector } from "./hashed-text-features.js";

/** A linear model over sparse features: probability = sigmoid(bias + weights · features). */
export interface LinearModel {
  readonly bias: number;
  readonly weights: Float32Array;
}

export interface LabelledVector {
  readonly features: SparseVector;
  /** 1 for an injection, 0 for benign. */
  readonly label: 0 | 1;
  /** The sample's share of the loss; the weights of all samples add up to 1. */
  readonly weight: number;
}

export interface TrainingOptions {
  readonly dimension: number;
  readonly epochs: number;
  readonly learningRate: number;
  /** L2 penalty on the weights (not the bias); strong values keep the model from memorising prompts. */
  readonly l2: number;
}

export function sigmoid(logit: number): number {
  return 1 / (1 + Math.exp(-logit));
}

export function linearLogit(model: LinearModel, features: SparseVector): number {
  let logit = model.bias;
  for (let position = 0; position < features.indices.length; position += 1) {
    logit += (model.weights[features.indices[position] ?? 0] ?? 0) * (features.values[position] ?? 0);
  }
  return logit;
}

/**
 * Full-batch gradient descent with momentum on the weighted, L2-penalised log loss. No sampling, so the result
 * depends only on the samples and their order.
 */
export function trainLogisticRegression(
  samples: readonly LabelledVector[],
  options: TrainingOptions,
): LinearModel {
  const weights = new Float32Array(options.dimension);
  const velocity = new Float32Array(options.dimension);
  const gradient = new Float32Array(options.dimension);
  let bias = 0;
  let biasVelocity = 0;
  const momentum = 0.9;
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    gradient.fill(0);
    let biasGradient = 0;
    for (const sample of samples) {
      const error = (sigmoid(linearLogit({ bias, weights }, sample.features)) - sample.label) * sample.weight;
      biasGradient += error;
      const { indices, values } = sample.features;
      for (let position = 0; position < indices.length; position += 1) {
        const index = indices[position] ?? 0;
        gradient[index] = (gradient[index] ?? 0) + error * (values[position] ?? 0);
      }
    }
    for (let index = 0; index < options.dimension; index += 1) {
      const step = (gradient[index] ?? 0) + options.l2 * (weights[index] ?? 0);
      velocity[index] = momentum * (velocity[index] ?? 0) - options.learningRate * step;
      weights[index] = (weights[index] ?? 0) + (velocity[index] ?? 0);
    }
    biasVelocity = momentum * biasVelocity - options.learningRate * biasGradient;
    bias += biasVelocity;
  }
  return { bias, weights };
}

/** An affine map of the logit, `slope × logit + intercept`: Platt scaling. */
export interface LogitCalibration {
  readonly slope: number;
  readonly intercept: number;
}

/**
 * Fits Platt scaling to held-out logits: a one-feature weighted logistic regression, by gradient descent from
 * the identity map. A strongly regularised model has shrunk logits; the calibrated ones are spread back out so
 * that the probability means the same as a heuristic's weight.
 */
export function fitLogitCalibration(
  logits: readonly number[],
  labels: readonly (0 | 1)[],
  weights: readonly number[],
): LogitCalibration {
  let slope = 1;
  let intercept = 0;
  const learningRate = 0.5;
  for (let iteration = 0; iteration < 5000; iteration += 1) {
    let slopeGradient = 0;
    let interceptGradient = 0;
    logits.forEach((logit, index) => {
      const error = (sigmoid(slope * logit + intercept) - (labels[index] ?? 0)) * (weights[index] ?? 0);
      slopeGradient += error * logit;
      interceptGradient += error;
    });
    slope -= learningRate * slopeGradient;
    intercept -= learningRate * interceptGradient;
  }
  return { slope, intercept };
}

/** The same model with the calibration folded into its weights and bias. */
export function calibrateModel(model: LinearModel, calibration: LogitCalibration): LinearModel {
  return {
    bias: calibration.slope * model.bias + calibration.intercept,
    weights: model.weights.map((weight) => weight * calibration.slope),
  };
}
