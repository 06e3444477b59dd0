/** Reads the event loop's recent lag in milliseconds. */
export interface EventLoopLag {
  /** The largest timer drift seen in the recent window; 0 when the loop keeps up. */
  current(): number;
  stop(): void;
}

const sampleEveryMs = 50;
/** Samples remembered: the lag reported is the worst of the last second. */
const windowSamples = 20;

/**
 * Measures lag as timer drift: a 50 ms interval timer that fires late by d ms saw the loop blocked for about d
 * ms. `perf_hooks.monitorEventLoopDelay` was tried first and measured on Node 20: its histogram did not register
 * a 150 ms synchronous block run from a timer or I/O callback, so it cannot drive shedding (its figures remain
 * in prom-client's default `nodejs_eventloop_lag_*` metrics).
 */
export function startEventLoopLag(): EventLoopLag {
  const samples = new Float64Array(windowSamples);
  let next = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    samples[next] = Math.max(0, now - last - sampleEveryMs);
    next = (next + 1) % windowSamples;
    last = now;
  }, sampleEveryMs);
  timer.unref();
  return {
    current() {
      // The timer cannot fire while the loop is blocked, so a block still going on counts too.
      let worst = Math.max(0, performance.now() - last - sampleEveryMs);
      for (const sample of samples) worst = Math.max(worst, sample);
      return worst;
    },
    stop: () => clearInterval(timer),
  };
}
