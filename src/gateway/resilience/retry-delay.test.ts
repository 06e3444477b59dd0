import { describe, expect, it } from "vitest";
import { defaultResilienceConfig } from "../../core/gateway-config.js";
import { requestedRetryDelayMs, retryDelayMs } from "./retry-delay.js";

const settings = {
  ...defaultResilienceConfig.retries,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  maxRetryAfterMs: 3000,
};

describe("requested retry delay", () => {
  it("prefers retry-after-ms, then x-ms-retry-after-ms, then Retry-After seconds or date", () => {
    expect(requestedRetryDelayMs({ "retry-after-ms": "250", "retry-after": "9" })).toBe(250);
    expect(requestedRetryDelayMs({ "x-ms-retry-after-ms": "40" })).toBe(40);
    expect(requestedRetryDelayMs({ "retry-after": "2" })).toBe(2000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(requestedRetryDelayMs({ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }, now)).toBe(5000);
    expect(requestedRetryDelayMs({ "retry-after": "soon" })).toBeUndefined();
    expect(requestedRetryDelayMs({})).toBeUndefined();
  });
});

describe("retry delay", () => {
  it("uses full jitter below an exponentially growing, capped ceiling", () => {
    expect(retryDelayMs(settings, 0, undefined, () => 0.999)).toBe(99);
    expect(retryDelayMs(settings, 2, undefined, () => 0.5)).toBe(200);
    expect(retryDelayMs(settings, 10, undefined, () => 0.999)).toBe(999);
    expect(retryDelayMs(settings, 3, undefined, () => 0)).toBe(0);
  });

  it("honours the upstream's requested delay up to maxRetryAfterMs, and refuses beyond it", () => {
    expect(retryDelayMs(settings, 0, 2500, () => 0.1)).toBe(2500);
    expect(retryDelayMs(settings, 0, 3001, () => 0.1)).toBeUndefined();
  });
});
