import type { LimitCheck, LimitCheckState } from "../../core/ports/rate-limit-store.js";

/**
 * OpenAI's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` for the tightest check of each kind
 * (the one with the least left); a kind no rule counts gets no headers.
 */
export function rateLimitHeaders(
  checks: readonly LimitCheck[],
  states: readonly LimitCheckState[],
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const kind of ["requests", "tokens"] as const) {
    let tightest: number | undefined;
    for (const [index, check] of checks.entries()) {
      if (check.kind !== kind) continue;
      if (tightest === undefined || remainingOf(states, index) < remainingOf(states, tightest))
        tightest = index;
    }
    if (tightest === undefined) continue;
    const state = states[tightest] as LimitCheckState;
    headers[`x-ratelimit-limit-${kind}`] = String((checks[tightest] as LimitCheck).limit);
    headers[`x-ratelimit-remaining-${kind}`] = String(state.remaining);
    headers[`x-ratelimit-reset-${kind}`] = formatResetDuration(state.resetMs);
  }
  return headers;
}

function remainingOf(states: readonly LimitCheckState[], index: number): number {
  return states[index]?.remaining ?? 0;
}

/** OpenAI's duration style: `250ms`, `12.5s`, `1m0s`. */
export function formatResetDuration(milliseconds: number): string {
  const ms = Math.max(0, Math.round(milliseconds));
  if (ms < 1000) return `${ms}ms`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Number(((ms % 60_000) / 1000).toFixed(3));
  return minutes === 0 ? `${seconds}s` : `${minutes}m${seconds}s`;
}
