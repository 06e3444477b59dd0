import { Agent, request } from "undici";
import { ContentEventClock, streamTimings } from "./stream-timing.js";

export interface PacedStreamJob {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Streams in flight at once, each on its own keep-alive connection, each sequential. */
  readonly connections: number;
  readonly warmupS: number;
  readonly durationS: number;
  /** Text only the dialect's content events contain (see `ContentEventClock`). */
  readonly contentMarker: string;
  /** How a complete stream ends in the dialect. */
  readonly endMarker: string;
  /** Content events the paced upstream sends: a stream with another count is a failure. */
  readonly contentEvents: number;
}

/** One measured slice. Samples travel back raw so that slices can be merged exactly. */
export interface PacedStreamSlice {
  readonly ok: number;
  /** Non-200, transport errors, truncated streams, or a wrong number of content events. */
  readonly failed: number;
  readonly durationS: number;
  /** Per stream: request start to the first content event. */
  readonly ttftMs: Float64Array;
  /** Every gap between consecutive content events of every stream. */
  readonly gapsMs: Float64Array;
}

/**
 * Reads paced SSE streams with undici and no SDK, timing each content event at the moment its bytes arrive,
 * so that the client adds as little as possible to what it measures.
 */
export async function runPacedStreamLoad(job: PacedStreamJob): Promise<PacedStreamSlice> {
  const dispatcher = new Agent({ connections: job.connections, keepAliveTimeout: 30_000 });
  const ttft: number[] = [];
  const gaps: number[] = [];
  let failed = 0;

  async function once(record: boolean): Promise<void> {
    const clock = new ContentEventClock(job.contentMarker);
    const decoder = new TextDecoder();
    const began = performance.now();
    try {
      const response = await request(job.url, {
        method: "POST",
        dispatcher,
        headers: job.headers,
        body: job.body,
      });
      for await (const chunk of response.body) {
        clock.feed(decoder.decode(chunk as Buffer, { stream: true }), performance.now());
      }
      const timings = streamTimings(began, clock.contentTimes);
      const complete =
        response.statusCode === 200 &&
        clock.endsWith(job.endMarker) &&
        clock.contentTimes.length === job.contentEvents;
      if (!record) return;
      if (!complete || timings === undefined) {
        failed += 1;
        return;
      }
      ttft.push(timings.ttftMs);
      gaps.push(...timings.gapsMs);
    } catch {
      if (record) failed += 1;
    }
  }

  async function loop(until: number, record: boolean): Promise<void> {
    while (performance.now() < until) await once(record);
  }

  const lanes = Array.from({ length: job.connections });
  const warmupEnds = performance.now() + job.warmupS * 1000;
  await Promise.all(lanes.map(() => loop(warmupEnds, false)));
  const began = performance.now();
  const ends = began + job.durationS * 1000;
  await Promise.all(lanes.map(() => loop(ends, true)));
  const durationS = (performance.now() - began) / 1000;
  await dispatcher.close();
  return {
    ok: ttft.length,
    failed,
    durationS,
    ttftMs: Float64Array.from(ttft),
    gapsMs: Float64Array.from(gaps),
  };
}
