import { describe, expect, it } from "vitest";
import { detectedValues } from "../../../test/support/detected-values.js";

describe("AGE", () => {
  it("reports ages stated as ages", () => {
    expect(detectedValues("a 62-year-old patient, aged 40, turned 33", "AGE")).toEqual(["62", "40", "33"]);
    expect(detectedValues("he bought 40 apples", "AGE")).toEqual([]);
  });
});
