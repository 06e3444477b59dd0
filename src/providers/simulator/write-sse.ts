import { once } from "node:events";
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import type { SimulatorFaultKind } from "../../core/gateway-config.js";
import { pause, untilAborted } from "./abortable-wait.js";

/** One `data:` event and the token step it is due at (see `TimedChunk`). */
export interface SseFrame {
  readonly step: number;
  readonly data: string;
}

export interface SseStreamOptions {
  readonly headers: OutgoingHttpHeaders;
  /** 0 sends every frame at once. */
  readonly tokensPerSecond: number;
  readonly signal: AbortSignal;
}

/** What `malformed-sse` puts in the middle of a stream: a `data:` line that is not JSON. */
export const MALFORMED_SSE_DATA =
  '{"id":"chatcmpl-simulator","object":"chat.completion.chunk","choices":[{"delta":{"content":';

function encodeFrame(frame: SseFrame): string {
  return `data: ${frame.data}\n\n`;
}

async function write(res: ServerResponse, text: string, signal: AbortSignal): Promise<void> {
  if (!res.write(text)) await once(res, "drain", { signal });
}

/**
 * Writes frames paced at `tokensPerSecond`: frames already due are written together, so slow timers never
 * slow the stream below its pace. Rejects with an AbortError when the client or server goes away.
 */
async function writePaced(
  res: ServerResponse,
  frames: readonly SseFrame[],
  options: SseStreamOptions,
): Promise<void> {
  const msPerStep = options.tokensPerSecond > 0 ? 1000 / options.tokensPerSecond : 0;
  const startedAt = performance.now();
  let batch = "";
  for (const frame of frames) {
    const wait = startedAt + frame.step * msPerStep - performance.now();
    if (wait > 0) {
      if (batch !== "") await write(res, batch, options.signal);
      batch = "";
      await pause(wait, options.signal);
    }
    batch += encodeFrame(frame);
  }
  if (batch !== "") await write(res, batch, options.signal);
}

/**
 * Streams `frames` as server-sent events, then `data: [DONE]`, or their faulty variant: `stall` sends the
 * first frame and waits for the client to leave; `cut-mid-stream` drops the connection halfway, without
 * `[DONE]`; `malformed-sse` puts a non-JSON `data:` line halfway and then finishes normally.
 */
export async function writeSseStream(
  res: ServerResponse,
  frames: readonly SseFrame[],
  fault: SimulatorFaultKind | undefined,
  options: SseStreamOptions,
): Promise<void> {
  res.writeHead(200, { ...options.headers, "content-type": "text/event-stream; charset=utf-8" });
  const lastStep = frames.at(-1)?.step ?? 0;
  const middle = Math.max(1, Math.floor(frames.length / 2));
  switch (fault) {
    case "stall":
      await writePaced(res, frames.slice(0, 1), options);
      await untilAborted(options.signal);
      return;
    case "cut-mid-stream":
      await writePaced(res, frames.slice(0, middle), options);
      res.write("", () => res.destroy());
      return;
    case "malformed-sse": {
      const garbage = { step: frames[middle]?.step ?? lastStep, data: MALFORMED_SSE_DATA };
      const withGarbage = [...frames.slice(0, middle), garbage, ...frames.slice(middle)];
      await writePaced(res, [...withGarbage, { step: lastStep, data: "[DONE]" }], options);
      res.end();
      return;
    }
    default:
      await writePaced(res, [...frames, { step: lastStep, data: "[DONE]" }], options);
      res.end();
  }
}
