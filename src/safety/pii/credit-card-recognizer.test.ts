import { describe, expect, it } from "vitest";
import { detectedValues } from "../../../test/support/detected-values.js";
import { passesLuhn } from "./credit-card-recognizer.js";

describe("CREDIT_CARD", () => {
  it("reports Luhn-valid numbers, grouped or not", () => {
    expect(detectedValues("card 4111 1111 1111 1111 and 5500005555555559", "CREDIT_CARD")).toEqual([
      "4111 1111 1111 1111",
      "5500005555555559",
    ]);
  });
  it("rejects numbers that fail the Luhn check", () => {
    expect(detectedValues("card 4111 1111 1111 1112", "CREDIT_CARD")).toEqual([]);
    expect(passesLuhn("79927398713")).toBe(true);
    expect(passesLuhn("79927398710")).toBe(false);
  });
});
