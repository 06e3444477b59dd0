import { describe, expect, it } from "vitest";
import { detectedValues } from "../../../test/support/detected-values.js";

describe("ORGANIZATION", () => {
  it("finds organisations by their company word and after employment cues", () => {
    expect(detectedValues("She joined Northwind Traders Inc. in May", "ORGANIZATION")).toEqual([
      "Northwind Traders Inc.",
    ]);
    expect(detectedValues("I work for Contoso", "ORGANIZATION")).toEqual(["Contoso"]);
  });
});
