import { Buffer } from "node:buffer";
import { createSeededRandom, hashToSeed } from "./seeded-random.js";

/** A string, or a token array as the embeddings API also accepts. */
export type EmbeddingInput = string | readonly number[];

/** Longer inputs contribute only their first distinct words, to keep large inputs cheap. */
const MAX_FEATURE_WORDS = 128;
/** How much the whole-input vector counts beside the word vectors: enough that reordered words differ. */
const WHOLE_INPUT_WEIGHT = 0.25;

function addRandomVector(target: Float64Array, key: string, weight: number): void {
  const random = createSeededRandom(hashToSeed(key));
  for (let i = 0; i < target.length; i++) target[i] = (target[i] ?? 0) + weight * (random() * 2 - 1);
}

function normalize(vector: Float64Array): Float64Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) / norm;
  return vector;
}

function wordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [word] of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const count = counts.get(word);
    if (count !== undefined) counts.set(word, count + 1);
    else if (counts.size < MAX_FEATURE_WORDS) counts.set(word, 1);
  }
  return counts;
}

/**
 * A deterministic unit-length embedding. It hashes words as features (each word a fixed pseudo-random
 * direction) plus the whole input, so texts sharing words are closer than unrelated texts, which makes
 * retrieval demos against the simulator behave plausibly. Token arrays are hashed whole.
 */
export function embedInput(input: EmbeddingInput, dimensions: number): Float32Array {
  const key = typeof input === "string" ? `text:${input}` : `tokens:${input.join(",")}`;
  const whole = new Float64Array(dimensions);
  addRandomVector(whole, key, 1);
  const counts = typeof input === "string" ? wordCounts(input) : new Map<string, number>();
  if (counts.size === 0) return Float32Array.from(normalize(whole));
  const words = new Float64Array(dimensions);
  for (const [word, count] of counts) addRandomVector(words, `word:${word}`, Math.sqrt(count));
  normalize(words);
  normalize(whole);
  for (let i = 0; i < dimensions; i++) words[i] = (words[i] ?? 0) + WHOLE_INPUT_WEIGHT * (whole[i] ?? 0);
  return Float32Array.from(normalize(words));
}

/** `encoding_format: "base64"`: the vector's float32 values, little-endian, base64-encoded. */
export function float32ToBase64(vector: Float32Array): string {
  const bytes = Buffer.allocUnsafe(vector.length * 4);
  for (const [i, value] of vector.entries()) bytes.writeFloatLE(value, i * 4);
  return bytes.toString("base64");
}

export function base64ToFloat32(text: string): Float32Array {
  const bytes = Buffer.from(text, "base64");
  const vector = new Float32Array(Math.floor(bytes.length / 4));
  for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatLE(i * 4);
  return vector;
}
