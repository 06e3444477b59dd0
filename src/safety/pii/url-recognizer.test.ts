import { describe, expect, it } from "vitest";
import { detectedValues } from "../../../test/support/detected-values.js";

describe("URL and DOMAIN_NAME", () => {
  it("reports URLs without trailing punctuation and bare domains", () => {
    const text = "See https://example.org/a?b=1. Or visit www.example.co.uk";
    expect(detectedValues(text, "URL")).toEqual(["https://example.org/a?b=1"]);
    expect(detectedValues(text, "DOMAIN_NAME")).toEqual(["www.example.co.uk"]);
  });
  it("does not report file names or the domain of an e-mail address", () => {
    expect(detectedValues("run setup.py and mail a@example.com", "DOMAIN_NAME")).toEqual([]);
  });
});
