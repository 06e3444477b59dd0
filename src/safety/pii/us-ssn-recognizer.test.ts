import { describe, expect, it } from "vitest";
import { detectedValues } from "../../../test/support/detected-values.js";

describe("US_SSN", () => {
  it("reports an SSN with context", () => {
    expect(detectedValues("My SSN is 536-22-8726", "US_SSN")).toEqual(["536-22-8726"]);
  });
  it("rejects numbers never issued", () => {
    expect(detectedValues("SSN 000-12-3456, 666-12-3456, 912-34-5678, 536-00-8726", "US_SSN")).toEqual([]);
  });
});
