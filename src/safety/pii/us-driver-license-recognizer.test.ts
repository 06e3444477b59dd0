import { describe, expect, it } from "vitest";
import { detectedValues } from "../../../test/support/detected-values.js";

describe("US_DRIVER_LICENSE", () => {
  it("reports a licence number only next to licence context", () => {
    expect(detectedValues("driver's license: D1234567", "US_DRIVER_LICENSE")).toEqual(["D1234567"]);
    expect(detectedValues("order D1234567 shipped", "US_DRIVER_LICENSE")).toEqual([]);
  });
});
