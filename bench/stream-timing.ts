/**
 * Times the content events of one SSE stream as the client receives them. Bytes are fed with the moment
 * they arrived; an event counts when its closing blank line arrives, and it is a content event when its text
 * contains `contentMarker` (OpenAI: `"delta":{"content":`, Anthropic: `"type":"content_block_delta"`), so role,
 * ping, usage and end events are not counted in either dialect.
 */
export class ContentEventClock {
  readonly #contentMarker: string;
  /** Text after the last complete event, waiting for its end. */
  #partial = "";
  #tail = "";
  readonly #contentTimes: number[] = [];

  constructor(contentMarker: string) {
    this.#contentMarker = contentMarker;
  }

  feed(text: string, arrivedAt: number): void {
    this.#tail = (this.#tail + text).slice(-256);
    let rest = this.#partial + text;
    for (let end = rest.indexOf("\n\n"); end !== -1; end = rest.indexOf("\n\n")) {
      if (rest.slice(0, end).includes(this.#contentMarker)) this.#contentTimes.push(arrivedAt);
      rest = rest.slice(end + 2);
    }
    this.#partial = rest;
  }

  /** Arrival time of each complete content event, in order. */
  get contentTimes(): readonly number[] {
    return this.#contentTimes;
  }

  /** Whether the stream so far ends with `marker` (e.g. `data: [DONE]\n\n`). */
  endsWith(marker: string): boolean {
    return this.#tail.endsWith(marker);
  }
}

/** The gaps between consecutive times: n times give n − 1 gaps. */
export function gapsBetween(times: readonly number[]): number[] {
  const gaps: number[] = [];
  for (let index = 1; index < times.length; index++)
    gaps.push((times[index] ?? Number.NaN) - (times[index - 1] ?? Number.NaN));
  return gaps;
}

/** One stream's timings from its request start: time to first content event, and every gap after it. */
export function streamTimings(
  startedAt: number,
  contentTimes: readonly number[],
): { readonly ttftMs: number; readonly gapsMs: number[] } | undefined {
  const first = contentTimes[0];
  if (first === undefined) return undefined;
  return { ttftMs: first - startedAt, gapsMs: gapsBetween(contentTimes) };
}
