import { describe, expect, it } from "vitest";
import { rewriteJsonStrings, rewriteStrings } from "./structured-text.js";

describe("rewriteStrings", () => {
  it("rewrites nested string values, never keys, numbers or booleans", () => {
    const value = { to: "a", list: ["b", 1, true, null], nested: { c: "d" } };
    expect(rewriteStrings(value, (text) => text.toUpperCase())).toEqual({
      to: "A",
      list: ["B", 1, true, null],
      nested: { c: "D" },
    });
  });
});

describe("rewriteJsonStrings", () => {
  it("rewrites the strings inside a JSON text and keeps it valid JSON", () => {
    const rewritten = rewriteJsonStrings('{"q": "say \\"hi\\""}', (text) => `${text} ⟦X⟧`);
    expect(JSON.parse(rewritten)).toEqual({ q: 'say "hi" ⟦X⟧' });
  });

  it("returns the text exactly as it was when nothing changes", () => {
    const text = '{ "a" : "b",\n "n": 1 }';
    expect(rewriteJsonStrings(text, (value) => value)).toBe(text);
  });

  it("treats text that is not JSON as one string", () => {
    expect(rewriteJsonStrings("{not json", (text) => `[${text}]`)).toBe("[{not json]");
  });
});
