import { describe, expect, it } from "vitest";
import { createModerationDetector } from "./moderation-detector.js";

const size = 100_000;
const repeat = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

/**
 * Long runs that keep a phrase rule's prefix matching without ever completing it, or that make every
 * sentence carry evidence. The suite's timeout is the only clock; each must answer as the rules imply.
 */
describe("moderation detector on adversarial 100 KB inputs", () => {
  const detector = createModerationDetector();

  it.each([
    ["letters", repeat("a")],
    ["one unending sentence of a rule prefix", repeat("how to make ")],
    ["first person without an act", repeat("i want to ")],
    ["minor terms without a sexual term", repeat("child kids ")],
    ["groups without a claim", repeat("immigrants are ")],
    ["negations", repeat("not never no ")],
    ["clause breaks", repeat(",;:")],
    ["sentence ends", repeat(". ")],
  ])("%s: reports nothing", (_name, text) => {
    expect(text.length).toBe(size);
    expect(detector.detect(text)).toEqual([]);
  });

  it("reports each of thousands of short sentences once per category", () => {
    const sentence = "I will kill you. ";
    const text = repeat(sentence);
    const sentences = Math.floor(size / sentence.length);
    const threatening = detector
      .detect(text)
      .filter((detection) => detection.type === "HARASSMENT_THREATENING");
    expect(threatening).toHaveLength(sentences);
  });
});
