import { describe, expect, it } from "vitest";
import { periodWindow } from "./budget-period.js";

const at = (iso: string) => Date.parse(iso);
const iso = (window: { startMs: number; endMs: number }) => [
  new Date(window.startMs).toISOString(),
  new Date(window.endMs).toISOString(),
];

describe("periodWindow", () => {
  it("aligns days, ISO weeks and months in UTC", () => {
    const now = at("2026-11-28T13:45:00Z"); // a Saturday
    expect(iso(periodWindow("day", "UTC", now))).toEqual([
      "2026-11-28T00:00:00.000Z",
      "2026-11-29T00:00:00.000Z",
    ]);
    expect(iso(periodWindow("week", "UTC", now))).toEqual([
      "2026-11-23T00:00:00.000Z",
      "2026-11-30T00:00:00.000Z",
    ]);
    expect(iso(periodWindow("month", "UTC", now))).toEqual([
      "2026-11-01T00:00:00.000Z",
      "2026-12-01T00:00:00.000Z",
    ]);
    expect(iso(periodWindow("month", "UTC", at("2026-12-31T23:59:59Z")))).toEqual([
      "2026-12-01T00:00:00.000Z",
      "2027-01-01T00:00:00.000Z",
    ]);
  });

  it("aligns to local midnight in a time zone, where the local date may differ from UTC's", () => {
    // 23:30 UTC on the 28th is already the 29th in Tokyo (UTC+9).
    expect(iso(periodWindow("day", "Asia/Tokyo", at("2026-11-28T23:30:00Z")))).toEqual([
      "2026-11-28T15:00:00.000Z",
      "2026-11-29T15:00:00.000Z",
    ]);
    // New York, early morning UTC is still the previous day (UTC−5 in winter).
    expect(iso(periodWindow("day", "America/New_York", at("2026-11-28T03:00:00Z")))).toEqual([
      "2026-11-27T05:00:00.000Z",
      "2026-11-28T05:00:00.000Z",
    ]);
  });

  it("handles days that a daylight-saving change makes 23 or 25 hours long", () => {
    // Europe/Berlin leaves summer time on 2026-10-25: that day has 25 hours.
    const window = periodWindow("day", "Europe/Berlin", at("2026-10-25T12:00:00Z"));
    expect(iso(window)).toEqual(["2026-10-24T22:00:00.000Z", "2026-10-25T23:00:00.000Z"]);
    expect(window.endMs - window.startMs).toBe(25 * 3600 * 1000);
    const spring = periodWindow("month", "Europe/Berlin", at("2026-03-15T12:00:00Z"));
    expect(iso(spring)).toEqual(["2026-02-28T23:00:00.000Z", "2026-03-31T22:00:00.000Z"]);
  });
});
