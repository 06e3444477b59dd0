import { describe, expect, it } from "vitest";
import { detectedValues } from "../../../test/support/detected-values.js";

describe("NRP", () => {
  it("finds nationalities and religious or political groups", () => {
    expect(detectedValues("a Portuguese poet and a Buddhist monk", "NRP")).toEqual([
      "Portuguese",
      "Buddhist",
    ]);
    expect(detectedValues("polish the silver", "NRP")).toEqual([]);
  });
});
