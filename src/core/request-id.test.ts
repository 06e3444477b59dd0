import { describe, expect, it } from "vitest";
import { newRequestId } from "./request-id.js";

describe("newRequestId", () => {
  it("makes RFC 9562 version-7 UUIDs that carry the time and sort by it", () => {
    const early = newRequestId(1_700_000_000_000);
    const late = newRequestId(1_700_000_000_001);
    expect(early).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(early.replace(/-/g, "").slice(0, 12), 16)).toBe(1_700_000_000_000);
    expect(early < late).toBe(true);
  });

  it("does not repeat", () => {
    const ids = new Set(Array.from({ length: 5000 }, () => newRequestId(1)));
    expect(ids.size).toBe(5000);
  });
});
