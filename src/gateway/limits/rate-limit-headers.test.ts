import { describe, expect, it } from "vitest";
import type { LimitCheck } from "../../core/ports/rate-limit-store.js";
import { formatResetDuration, rateLimitHeaders } from "./rate-limit-headers.js";

const check = (kind: LimitCheck["kind"], limit: number): LimitCheck => ({
  kind,
  bucket: `${kind}-${limit}`,
  limit,
  windowMs: 60_000,
  cost: 1,
});

describe("rateLimitHeaders", () => {
  it("reports the tightest check of each kind, and nothing for concurrency", () => {
    const headers = rateLimitHeaders(
      [check("requests", 100), check("requests", 10), check("tokens", 1000), check("concurrent", 2)],
      [
        { remaining: 50, resetMs: 1000, windowStart: 1 },
        { remaining: 3, resetMs: 42_500, windowStart: 1 },
        { remaining: 900, resetMs: 60_000, windowStart: 1 },
        { remaining: 1, resetMs: 0, windowStart: 0 },
      ],
    );
    expect(headers).toEqual({
      "x-ratelimit-limit-requests": "10",
      "x-ratelimit-remaining-requests": "3",
      "x-ratelimit-reset-requests": "42.5s",
      "x-ratelimit-limit-tokens": "1000",
      "x-ratelimit-remaining-tokens": "900",
      "x-ratelimit-reset-tokens": "1m0s",
    });
  });
});

describe("formatResetDuration", () => {
  it("writes durations as OpenAI does", () => {
    expect(formatResetDuration(250)).toBe("250ms");
    expect(formatResetDuration(1000)).toBe("1s");
    expect(formatResetDuration(12_345)).toBe("12.345s");
    expect(formatResetDuration(61_500)).toBe("1m1.5s");
    expect(formatResetDuration(-5)).toBe("0ms");
  });
});
