import { setTimeout as delay } from "node:timers/promises";

/** Waits `ms`; rejects with an AbortError (and clears the timer) as soon as `signal` aborts. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) {
    signal.throwIfAborted();
    return;
  }
  await delay(ms, undefined, { signal });
}

/** Resolves when `signal` aborts: how a stalled response waits for its client (or the server) to give up. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
