import { describe, expect, it } from "vitest";
import { detectedValues } from "../../../test/support/detected-values.js";

describe("LOCATION", () => {
  it("finds countries and cities from the gazetteers", () => {
    expect(detectedValues("We flew from Copenhagen to Argentina.", "LOCATION")).toEqual([
      "Copenhagen",
      "Argentina",
    ]);
  });
  it("finds a lower-case city only right after a place preposition", () => {
    expect(detectedValues("we returned to hamburg by train", "LOCATION")).toEqual(["hamburg"]);
    expect(detectedValues("a hamburg with fries", "LOCATION")).toEqual([]);
  });
  it("does not report ordinary capitalised words that are also small towns", () => {
    expect(detectedValues("Mission Statement: Union members only.", "LOCATION")).toEqual([]);
  });
});
