import { describe, expect, it } from "vitest";
import { detectedValues } from "../../../test/support/detected-values.js";

describe("ZIP_CODE", () => {
  it("reports labelled postcodes", () => {
    expect(detectedValues("my zip code is 94105-1234", "ZIP_CODE")).toEqual(["94105-1234"]);
    expect(detectedValues("Postcode: SW1A 1AA", "ZIP_CODE")).toEqual(["SW1A 1AA"]);
  });
});
