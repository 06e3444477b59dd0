/**
 * Sparse features for the injection classifier: hashed character 3–5-grams and word 1–2-grams of the
 * normalised text, each counted once (presence), scaled so the vector has unit length. Unit length keeps a
 * long prompt from scoring higher just for having more n-grams.
 */
export const featureBucketCount = 1 << 18;

export const wordTokenPattern = /[a-z0-9']+/g;

const fnvOffset = 0x811c9dc5;
const fnvPrime = 0x01000193;
const wordSeed = 0x9e3779b9;
const smallestCharacterGram = 3;
const largestCharacterGram = 5;

export interface SparseVector {
  readonly indices: Uint32Array;
  readonly values: Float32Array;
}

function mixCharacter(hash: number, code: number): number {
  return Math.imul(hash ^ code, fnvPrime) >>> 0;
}

function mixString(hash: number, text: string): number {
  let mixed = hash;
  for (let index = 0; index < text.length; index += 1) {
    mixed = mixCharacter(mixed, text.charCodeAt(index));
  }
  return mixed;
}

export function extractHashedFeatures(normalizedWords: string): SparseVector {
  const present = new Set<number>();
  const text = ` ${normalizedWords} `;
  for (let start = 0; start + smallestCharacterGram <= text.length; start += 1) {
    let hash = fnvOffset;
    for (let length = 1; length <= largestCharacterGram && start + length <= text.length; length += 1) {
      hash = mixCharacter(hash, text.charCodeAt(start + length - 1));
      if (length >= smallestCharacterGram) {
        present.add(((hash ^ length) >>> 0) % featureBucketCount);
      }
    }
  }
  let previousWord: string | undefined;
  for (const match of normalizedWords.matchAll(wordTokenPattern)) {
    const word = match[0];
    present.add(mixString(wordSeed, word) % featureBucketCount);
    if (previousWord !== undefined) {
      present.add(mixString(mixString(wordSeed ^ 1, previousWord), ` ${word}`) % featureBucketCount);
    }
    previousWord = word;
  }
  const indices = Uint32Array.from(present).sort();
  const value = present.size === 0 ? 0 : 1 / Math.sqrt(present.size);
  return { indices, values: new Float32Array(indices.length).fill(value) };
}
