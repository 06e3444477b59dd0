import { describe, expect, it } from "vitest";
import { detectedValues } from "../../../test/support/detected-values.js";

describe("STREET_ADDRESS", () => {
  it("finds an English street address with its flat", () => {
    expect(detectedValues("Send it to 221 Baker Street, Apt. 4 please", "STREET_ADDRESS")).toEqual([
      "221 Baker Street, Apt. 4",
    ]);
  });
  it("finds continental street forms and the town lines after them", () => {
    const text = "Address:\nRue des Lilas 14\nLyon\nFrance 69003";
    expect(detectedValues(text, "STREET_ADDRESS")).toEqual(["Rue des Lilas 14\nLyon\nFrance 69003"]);
    expect(detectedValues("He lives at Mannerheimintie 12, Helsinki", "STREET_ADDRESS")).toEqual([
      "Mannerheimintie 12, Helsinki",
    ]);
  });
  it("finds post-office boxes", () => {
    expect(detectedValues("Mail: P.O. Box 1234", "STREET_ADDRESS")).toEqual(["P.O. Box 1234"]);
  });
  it("does not take a number before ordinary words for an address", () => {
    expect(detectedValues("During 2017 we read 5 Musicians Of The Year", "STREET_ADDRESS")).toEqual([]);
  });
});
