import { describe, expect, it } from "vitest";
import { detectedValues } from "../../../test/support/detected-values.js";

describe("IBAN_CODE", () => {
  it("reports IBANs in paper and electronic format, not the words after", () => {
    const text = "Pay GB82 WEST 1234 5698 7654 32 to me, or DE89370400440532013000.";
    expect(detectedValues(text, "IBAN_CODE")).toEqual([
      "GB82 WEST 1234 5698 7654 32",
      "DE89370400440532013000",
    ]);
  });
  it("rejects a wrong mod-97 check", () => {
    expect(detectedValues("IBAN GB82 WEST 1234 5698 7654 33", "IBAN_CODE")).toEqual([]);
  });
});
