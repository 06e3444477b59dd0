import { describe, expect, it } from "vitest";
import { detectedValues } from "../../../test/support/detected-values.js";

describe("PERSON and TITLE", () => {
  it("finds names with a known first name", () => {
    expect(detectedValues("Please forward this to Margaret Thornbury tomorrow.", "PERSON")).toEqual([
      "Margaret Thornbury",
    ]);
  });
  it("finds unknown names after an honorific, and the honorific as TITLE", () => {
    const text = "The report was signed by Dr. Ilkka Vääräniemi.";
    expect(detectedValues(text, "PERSON")).toEqual(["Ilkka Vääräniemi"]);
    expect(detectedValues(text, "TITLE")).toEqual(["Dr."]);
  });
  it("finds a single unknown name after a strong cue", () => {
    expect(detectedValues("Hello, my name is Oyelaran", "PERSON")).toEqual(["Oyelaran"]);
  });
  it("reports UTF-16 offsets after astral characters", () => {
    expect(detectedValues("🎉🎉 𝔄 thanks to Margaret Thornbury", "PERSON")).toEqual(["Margaret Thornbury"]);
  });
  it("does not take capitalised ordinary words for names", () => {
    expect(detectedValues("Personal Info: Mission Statement and Quarterly Results", "PERSON")).toEqual([]);
  });
});
