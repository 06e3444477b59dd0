import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FakeSecrets } from "../../../test/support/fake-secrets.js";
import { createSecretsDetector } from "./secrets-detector.js";

interface Corpus {
  readonly positives: readonly { readonly text: string; readonly types: readonly string[] }[];
  readonly negatives: readonly string[];
}

const corpus = JSON.parse(
  readFileSync(new URL("./__fixtures__/secrets-corpus.json", import.meta.url), "utf8"),
) as Corpus;

interface ExpectedSpan {
  readonly type: string;
  readonly start: number;
  readonly end: number;
}

/** Replaces each `{{name}}` with a fresh fake secret and records where it landed. */
function fillTemplate(template: string, types: readonly string[], fakes: FakeSecrets) {
  const expected: ExpectedSpan[] = [];
  let text = "";
  let cursor = 0;
  for (const placeholder of template.matchAll(/\{\{([a-z0-9_]+)\}\}/g)) {
    const name = placeholder[1] ?? "";
    text += template.slice(cursor, placeholder.index);
    const secret = fakes.byName(name);
    const type = types[expected.length];
    if (type === undefined) throw new Error(`template has more placeholders than types: ${template}`);
    expected.push({ type, start: text.length, end: text.length + secret.length });
    text += secret;
    cursor = placeholder.index + placeholder[0].length;
  }
  text += template.slice(cursor);
  if (expected.length !== types.length)
    throw new Error(`template has fewer placeholders than types: ${template}`);
  return { text, expected };
}

describe("secrets corpus", () => {
  const detector = createSecretsDetector();
  const fakes = new FakeSecrets("secrets-corpus");

  it("finds every positive with the right type and exact span, and nothing else", () => {
    let truePositives = 0;
    let expectedCount = 0;
    for (const { text: template, types } of corpus.positives) {
      const { text, expected } = fillTemplate(template, types, fakes);
      const found = detector.detect(text).map(({ type, start, end }) => ({ type, start, end }));
      expect(found, template).toEqual(expected);
      expectedCount += expected.length;
      truePositives += found.length;
    }
    expect(truePositives).toBe(expectedCount);
    expect(expectedCount).toBeGreaterThanOrEqual(35);
  });

  it("covers every type the detector declares", () => {
    const covered = new Set(corpus.positives.flatMap((positive) => positive.types));
    expect([...detector.types].filter((type) => !covered.has(type))).toEqual([]);
  });

  it.each(corpus.negatives)("reports nothing in negative %#", (negative) => {
    expect(detector.detect(negative)).toEqual([]);
  });
});
