import { describe, expect, it } from "vitest";
import { endUserOf } from "./end-user.js";

describe("endUserOf", () => {
  it("takes the header over the body's user field, trimmed", () => {
    expect(endUserOf({ "x-switchyard-user": " ada " }, { user: "bob" })).toBe("ada");
    expect(endUserOf({}, { user: "bob" })).toBe("bob");
  });

  it("is null when absent, empty, not a string or longer than 256 characters", () => {
    expect(endUserOf({}, {})).toBeNull();
    expect(endUserOf({ "x-switchyard-user": "  " }, {})).toBeNull();
    expect(endUserOf({}, { user: 42 })).toBeNull();
    expect(endUserOf({}, { user: "u".repeat(257) })).toBeNull();
    expect(endUserOf({}, { user: "u".repeat(256) })).toBe("u".repeat(256));
  });
});
