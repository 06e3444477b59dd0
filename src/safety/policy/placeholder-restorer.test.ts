import { describe, expect, it } from "vitest";
import { MaskVault, maxPlaceholderLength } from "./mask-vault.js";
import { restorePlaceholders, StreamingRestorer } from "./placeholder-restorer.js";

function vaultWith(values: Record<string, string>): { vault: MaskVault; placeholders: string[] } {
  const vault = new MaskVault();
  const placeholders = Object.entries(values).map(([value, type]) => vault.mask(type, value));
  return { vault, placeholders };
}

describe("restorePlaceholders", () => {
  it("restores known placeholders and leaves unknown ones and lookalikes alone", () => {
    const { vault, placeholders } = vaultWith({ "ada@example.com": "EMAIL_ADDRESS" });
    const text = `Write to ${placeholders[0]}, not ⟦EMAIL_ADDRESS_7⟧ or ⟦lower⟧.`;
    expect(restorePlaceholders(text, vault)).toBe(
      "Write to ada@example.com, not ⟦EMAIL_ADDRESS_7⟧ or ⟦lower⟧.",
    );
  });

  it("escapes restored values for the inside of a JSON string", () => {
    const { vault, placeholders } = vaultWith({ 'Ada "the" \\ Lovelace': "PERSON" });
    const args = `{"name":"${placeholders[0]}"}`;
    const restored = restorePlaceholders(args, vault, "json-string");
    expect(JSON.parse(restored)).toEqual({ name: 'Ada "the" \\ Lovelace' });
  });
});

describe("StreamingRestorer", () => {
  const { vault, placeholders } = vaultWith({
    "ada@example.com": "EMAIL_ADDRESS",
    "+1 555 0100": "PHONE_NUMBER",
  });
  const masked = `Hi ${placeholders[0]}, call ${placeholders[1]}; ⟦ is a bracket and ⟦EMAIL_ADDRESS_2⟧ is unknown.`;
  const expected = "Hi ada@example.com, call +1 555 0100; ⟦ is a bracket and ⟦EMAIL_ADDRESS_2⟧ is unknown.";

  it.each(Array.from({ length: masked.length + 1 }, (_, offset) => offset))(
    "restores the text split in two at offset %i, never releasing half a placeholder",
    (offset) => {
      const restorer = new StreamingRestorer(vault);
      const released = [
        restorer.push(masked.slice(0, offset)),
        restorer.push(masked.slice(offset)),
        restorer.end(),
      ];
      expect(released.join("")).toBe(expected);
      for (const piece of released) expect(piece).not.toMatch(/⟦[A-Z0-9_]+$/);
    },
  );

  it("restores the text fed one character at a time", () => {
    const restorer = new StreamingRestorer(vault);
    let output = "";
    for (const character of masked) output += restorer.push(character);
    expect(output + restorer.end()).toBe(expected);
  });

  it("holds back only a possible placeholder prefix, bounded by the longest placeholder", () => {
    const restorer = new StreamingRestorer(vault);
    expect(restorer.push("plain text")).toBe("plain text");
    expect(restorer.push("see ⟦EMAIL_")).toBe("see ");
    expect(restorer.holding).toBe(true);
    expect(restorer.push("x")).toBe("⟦EMAIL_x");
    const long = `⟦${"A".repeat(maxPlaceholderLength)}`;
    expect(restorer.push(long)).toBe(long);
    expect(restorer.holding).toBe(false);
  });

  it("releases a held prefix unchanged at the end of the stream", () => {
    const restorer = new StreamingRestorer(vault);
    expect(restorer.push("cut ⟦EMAIL_ADDRESS_1")).toBe("cut ");
    expect(restorer.end()).toBe("⟦EMAIL_ADDRESS_1");
  });
});
