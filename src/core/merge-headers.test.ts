import { describe, expect, it } from "vitest";
import { hasHeaders, mergeHeaders } from "./merge-headers.js";

describe("mergeHeaders", () => {
  it("copies every source into a new object, later sources winning, undefined ones skipped", () => {
    const first = { a: "1", b: "1" };
    const merged = mergeHeaders(first, undefined, { b: "2", c: "2" });
    expect(merged).toEqual({ a: "1", b: "2", c: "2" });
    expect(Object.keys(merged)).toEqual(["a", "b", "c"]);
    merged.a = "changed";
    expect(first).toEqual({ a: "1", b: "1" });
  });

  it("gives an empty object for no headers", () => {
    expect(mergeHeaders()).toEqual({});
    expect(mergeHeaders(undefined, {})).toEqual({});
  });
});

describe("hasHeaders", () => {
  it("tells an empty headers object from one that names a header", () => {
    expect(hasHeaders({})).toBe(false);
    expect(hasHeaders({ "x-a": "" })).toBe(true);
  });
});
