import { describe, expect, it } from "vitest";
import { detectedValues } from "../../../test/support/detected-values.js";

describe("EMAIL_ADDRESS", () => {
  it("finds addresses and leaves trailing sentence punctuation out", () => {
    expect(detectedValues("Write to jane.doe+news@example.co.uk.", "EMAIL_ADDRESS")).toEqual([
      "jane.doe+news@example.co.uk",
    ]);
  });
  it("does not report a handle or an address without a domain", () => {
    expect(detectedValues("ping @jane or user@localhost", "EMAIL_ADDRESS")).toEqual([]);
  });
});
