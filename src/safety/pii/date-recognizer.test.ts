import { describe, expect, it } from "vitest";
import { detectedValues } from "../../../test/support/detected-values.js";

describe("DATE_TIME and DATE_OF_BIRTH", () => {
  it("reports dates, and a date with birth context as DATE_OF_BIRTH instead", () => {
    const text = "Meeting on 2024-01-15 10:00. She was born on 3/14/1985.";
    expect(detectedValues(text, "DATE_TIME")).toEqual(["2024-01-15 10:00"]);
    expect(detectedValues(text, "DATE_OF_BIRTH")).toEqual(["3/14/1985"]);
  });
  it("reports a bare year only with context", () => {
    expect(detectedValues("founded in 1988", "DATE_TIME")).toEqual(["1988"]);
    expect(detectedValues("room 1988 is free", "DATE_TIME")).toEqual([]);
  });
  it("rejects impossible numeric dates", () => {
    expect(detectedValues("code 45/78/2020", "DATE_TIME")).toEqual([]);
  });
});
