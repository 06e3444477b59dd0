import { describe, expect, it } from "vitest";
import { FakeSecrets } from "../../../test/support/fake-secrets.js";
import { createSecretsDetector } from "./secrets-detector.js";

const size = 100_000;
const repeat = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

/**
 * Inputs built to make a backtracking matcher revisit the same characters: long runs of a rule's character
 * class, prefixes repeated without a valid body, openers without closers. Each must come back (the suite's
 * timeout is the only clock) with the answer the rules imply.
 */
const adversarial: Readonly<Record<string, string>> = {
  letters: repeat("a"),
  base64Run: repeat("Ab9+/"),
  whitespace: repeat(" \t\n"),
  githubPrefixes: repeat("ghp_"),
  openAiPrefixWithoutMarker: `sk-proj-${repeat("A")}`.slice(0, size),
  pemBeginsWithoutBody: repeat("-----BEGIN RSA PRIVATE KEY-----"),
  pemBodyWithoutEnd: `-----BEGIN RSA PRIVATE KEY-----${repeat("\\")}`.slice(0, size),
  jwtDots: repeat("eyJ."),
  urlSchemes: repeat("postgres://a:"),
  assignments: repeat("password=password="),
  credentialWords: repeat("token"),
  hexRun: repeat("0123456789abcdef"),
  quotes: repeat("'\"`"),
  azurePadding: repeat("AccountKey=="),
};

describe("secrets detector on adversarial 100 KB inputs", () => {
  const detector = createSecretsDetector();

  it.each(Object.entries(adversarial))("%s: answers without a finding", (_name, text) => {
    expect(text.length).toBe(size);
    expect(detector.detect(text)).toEqual([]);
  });

  it("finds every token in 100 KB of back-to-back tokens, each exactly once", () => {
    const fakes = new FakeSecrets("adversarial");
    const tokens = Array.from({ length: 2_000 }, () => fakes.byName("github_classic"));
    const detections = detector.detect(tokens.join(" "));
    expect(detections).toHaveLength(tokens.length);
    expect(new Set(detections.map((detection) => detection.type))).toEqual(new Set(["GITHUB_TOKEN"]));
  });
});
