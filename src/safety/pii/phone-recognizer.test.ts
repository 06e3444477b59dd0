import { describe, expect, it } from "vitest";
import { detectedValues } from "../../../test/support/detected-values.js";

describe("PHONE_NUMBER", () => {
  it("finds international and national formats", () => {
    const text = "Call +44 20 7946 0958 or (415) 555-2671 today";
    expect(detectedValues(text, "PHONE_NUMBER")).toEqual(["+44 20 7946 0958", "(415) 555-2671"]);
  });
  it("ignores short numbers and years", () => {
    expect(detectedValues("In 2019 we sold 1234 units", "PHONE_NUMBER")).toEqual([]);
  });
});
