import type { RetrySettings } from "../../core/gateway-config.js";

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/**
 * The wait an upstream asked for, in ms: `retry-after-ms` or `x-ms-retry-after-ms` (Azure), else `Retry-After`
 * (seconds or an HTTP date). Undefined when none is present or readable.
 */
export function requestedRetryDelayMs(headers: Headers, now = Date.now()): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const value = Number(single(headers[name]));
    if (single(headers[name]) !== undefined && Number.isFinite(value) && value >= 0) return value;
  }
  const retryAfter = single(headers["retry-after"]);
  if (retryAfter === undefined) return undefined;
  const seconds = Number(retryAfter);
  if (retryAfter.trim() !== "" && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How long to wait before retry number `retryIndex` (0-based): the upstream's requested delay when it gave one,
 * else exponential backoff with full jitter. Undefined means "do not retry this target": the upstream asked for
 * longer than `maxRetryAfterMs`.
 */
export function retryDelayMs(
  settings: RetrySettings,
  retryIndex: number,
  requestedMs: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  if (requestedMs !== undefined) return requestedMs <= settings.maxRetryAfterMs ? requestedMs : undefined;
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** retryIndex);
  return Math.floor(random() * ceiling);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
