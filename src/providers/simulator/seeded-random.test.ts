import { describe, expect, it } from "vitest";
import { createSeededRandom, hashToSeed, pickOne, randomIdChars, randomInt } from "./seeded-random.js";

describe("hashToSeed", () => {
  it("is stable for equal text and differs for different text", () => {
    expect(hashToSeed("hello")).toEqual(hashToSeed("hello"));
    expect(hashToSeed("hello")).not.toEqual(hashToSeed("hellp"));
    expect(hashToSeed("")).toHaveLength(4);
  });
});

describe("createSeededRandom", () => {
  it("replays the same sequence for the same seed", () => {
    const a = createSeededRandom(hashToSeed("seed"));
    const b = createSeededRandom(hashToSeed("seed"));
    const c = createSeededRandom(hashToSeed("other"));
    const first = Array.from({ length: 8 }, a);
    expect(Array.from({ length: 8 }, b)).toEqual(first);
    expect(Array.from({ length: 8 }, c)).not.toEqual(first);
  });

  it("yields numbers in [0, 1) spread over the interval", () => {
    const random = createSeededRandom(hashToSeed("spread"));
    const values = Array.from({ length: 10_000 }, random);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});

describe("helpers", () => {
  it("randomInt covers both inclusive bounds and nothing outside", () => {
    const random = createSeededRandom(hashToSeed("ints"));
    const seen = new Set(Array.from({ length: 500 }, () => randomInt(random, 3, 6)));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it("pickOne picks members and randomIdChars is base62", () => {
    const random = createSeededRandom(hashToSeed("ids"));
    expect(["a", "b"]).toContain(pickOne(random, ["a", "b"] as const));
    expect(pickOne(random, [])).toBeUndefined();
    expect(randomIdChars(random, 24)).toMatch(/^[A-Za-z0-9]{24}$/);
  });
});
