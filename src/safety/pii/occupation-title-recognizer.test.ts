import { describe, expect, it } from "vitest";
import { detectedValues } from "../../../test/support/detected-values.js";

describe("TITLE from job titles", () => {
  it("reports a job title on a line of its own", () => {
    expect(detectedValues("Ada Byron\nSenior accountant\nAcme Ltd", "TITLE")).toEqual(["Senior accountant"]);
  });
});
