import { describe, expect, it } from "vitest";
import { MaskVault, maxPlaceholderLength, placeholderPattern } from "./mask-vault.js";

describe("MaskVault", () => {
  it("numbers placeholders per type and gives a repeated value the same placeholder", () => {
    const vault = new MaskVault();
    const first = vault.mask("EMAIL_ADDRESS", "ada@example.com");
    const second = vault.mask("EMAIL_ADDRESS", "bob@example.com");
    const phone = vault.mask("PHONE_NUMBER", "+44 20 7946 0958");
    expect([first, second, phone]).toEqual(["⟦EMAIL_ADDRESS_1⟧", "⟦EMAIL_ADDRESS_2⟧", "⟦PHONE_NUMBER_1⟧"]);
    expect(vault.mask("EMAIL_ADDRESS", "ada@example.com")).toBe(first);
    expect(vault.original(second)).toBe("bob@example.com");
    expect(vault.original("⟦EMAIL_ADDRESS_9⟧")).toBeUndefined();
    expect(vault.size).toBe(3);
  });

  it("keeps placeholders within the pattern and length bound, whatever the type", () => {
    const vault = new MaskVault();
    const placeholder = vault.mask(`weird type ${"X".repeat(100)}`, "v");
    expect(placeholder.length).toBeLessThanOrEqual(maxPlaceholderLength);
    expect(placeholder.match(placeholderPattern)).toEqual([placeholder]);
  });
});
