import { describe, expect, it } from "vitest";
import { looksLikePlaceholder } from "./looks-like-placeholder.js";

describe("looksLikePlaceholder", () => {
  it.each([
    "YOUR_API_KEY",
    "your-token-here",
    "sk-...",
    ["$", "{DB_PASSWORD}"].join(""),
    "<api key>",
    "xxxxxxxx",
    "0000000000",
  ])("treats %s as a placeholder", (value) => expect(looksLikePlaceholder(value)).toBe(true));

  it.each(["BSwbcFt10vntMMqoieFakE5TP7Ci", "Zx81kQ0pL2mN7vB4", "q9YourTk2"])(
    "treats %s as a value",
    (value) => expect(looksLikePlaceholder(value)).toBe(false),
  );

  it("does not scan long key bodies for marker words", () => {
    expect(looksLikePlaceholder(`${"Ab9".repeat(50)}example`)).toBe(false);
  });
});
