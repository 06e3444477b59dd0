import { createParser, type EventSourceMessage } from "eventsource-parser";
import { readOpenAiUsage } from "../core/cost/token-usage.js";
import { type GatewayError, isGatewayError } from "../core/gateway-error.js";
import type { GatewayContext } from "./gateway-context.js";
import { streamInterruption } from "./stream-interruption.js";

export interface StreamRelayOptions {
  readonly context: GatewayContext;
  readonly upstream: AsyncIterable<Uint8Array>;
  /** Whether the client itself asked for `stream_options.include_usage`; if not, the usage chunk is dropped. */
  readonly clientWantsUsage: boolean;
  /** `sequenceNumber` is the next event number, for dialects whose events are numbered (Responses). */
  readonly renderError: (error: GatewayError, sequenceNumber?: number) => string;
  /** Rewrites chunks for output policies and masking; absent, events pass through byte for byte. */
  readonly guard?: StreamChunkGuard | undefined;
  /**
   * Told once when the stream is over, whether the upstream broke it (cut, stall, malformed event); not told
   * when the client left first.
   */
  readonly onEnd?: ((brokeUpstream: boolean) => void) | undefined;
}

/** Rewrites a stream chunk into the chunks to send; throws a `GatewayError` to stop the stream. */
export interface StreamChunkGuard {
  chunk(chunk: Record<string, unknown>): Record<string, unknown>[];
  /** Chunks still held when the upstream sends `[DONE]`. */
  end(): Record<string, unknown>[];
}

/**
 * Relays an OpenAI-dialect SSE stream event by event. It records usage and time to first event, drops the
 * usage-only chunk the client did not ask for, and never ends a broken stream cleanly: a cut, an idle timeout
 * or a malformed event becomes a final error event with no `[DONE]`; an error object the upstream sends inside
 * its 200 stream (Azure does) is relayed and ends the stream there, so a `[DONE]` after it never reaches the
 * client. Leaving the loop early (malformed event, upstream error, client gone) returns the upstream iterator,
 * which releases the upstream connection.
 */
export async function* relayOpenAiStream(options: StreamRelayOptions): AsyncGenerator<string> {
  const { context } = options;
  const pending: string[] = [];
  let sawDone = false;
  /** The upstream sent an error object inside its 200 stream: relayed, and the stream ends there. */
  let upstreamFailed = false;
  /** Content events relayed: the output-token estimate when a broken stream never sent its usage. */
  let contentEvents = 0;
  let malformed: string | undefined;
  let blocked: GatewayError | undefined;
  const { guard } = options;
  const parser = createParser({
    onEvent(event: EventSourceMessage) {
      if (malformed !== undefined || blocked !== undefined || sawDone || upstreamFailed) return;
      if (context.ttftMs === null) context.ttftMs = performance.now() - context.startedAt;
      if (event.data === "[DONE]") {
        if (guard !== undefined && !guarded(() => guard.end())) return;
        sawDone = true;
        pending.push("data: [DONE]\n\n");
        return;
      }
      let chunk: unknown;
      try {
        chunk = JSON.parse(event.data);
      } catch {
        malformed = event.data.slice(0, 80);
        return;
      }
      if (chunk !== null && typeof chunk === "object") {
        const record = chunk as Record<string, unknown>;
        context.tracing?.noteResponse(record);
        if (record.error !== undefined && record.error !== null) {
          upstreamFailed = true;
          pending.push(`data: ${event.data}\n\n`);
          return;
        }
        if (Array.isArray(record.choices) && record.choices.length > 0) contentEvents += 1;
        if (context.completionText !== undefined) collectDeltaText(record.choices, context.completionText);
        if (record.usage !== undefined && record.usage !== null) {
          context.usage = readOpenAiUsage(record.usage);
          const choices = record.choices;
          if (!options.clientWantsUsage && Array.isArray(choices) && choices.length === 0) return;
        }
        if (guard !== undefined) {
          guarded(() => guard.chunk(record));
          return;
        }
      }
      pending.push(`data: ${event.data}\n\n`);
    },
  });
  /** Queues the guard's chunks; a policy block stops the stream instead. */
  const guarded = (produce: () => Record<string, unknown>[]): boolean => {
    try {
      for (const chunk of produce()) pending.push(`data: ${JSON.stringify(chunk)}\n\n`);
      return true;
    } catch (error) {
      if (!isGatewayError(error)) throw error;
      blocked = error;
      return false;
    }
  };
  const decoder = new TextDecoder();
  let failure: GatewayError | undefined;
  try {
    for await (const bytes of options.upstream) {
      parser.feed(decoder.decode(bytes, { stream: true }));
      if (pending.length > 0) yield pending.splice(0).join("");
      if (blocked !== undefined) {
        failure = blocked;
        break;
      }
      if (malformed !== undefined) {
        failure = streamInterruption.malformed(malformed);
        break;
      }
      if (sawDone || upstreamFailed) break;
    }
    if (failure === undefined && !sawDone && !upstreamFailed) {
      failure = streamInterruption.endedEarly();
    }
  } catch (error) {
    if (context.signal.aborted) return;
    failure = streamInterruption.brokeOff(error);
  }
  options.onEnd?.(upstreamFailed || (failure !== undefined && failure !== blocked));
  if (failure === undefined && !upstreamFailed) return;
  // A broken stream's usage chunk never comes. With the streamed text kept, cost accounting counts it with a
  // tokenizer at completion; otherwise record one token per content event. Either way it is an estimate.
  if (context.usage.outputTokens === null && contentEvents > 0 && context.completionText === undefined)
    context.usage = { ...context.usage, outputTokens: contentEvents, estimated: true };
  if (failure === undefined) {
    context.errorCode = "GW_ERR_UPSTREAM_ERROR";
    context.loggedStatus = 502;
    return;
  }
  context.errorCode = failure.code;
  context.loggedStatus = failure.status;
  yield options.renderError(failure);
}

/** Keeps the text of each choice's delta (references only), for estimating output tokens without usage. */
function collectDeltaText(choices: unknown, into: string[]): void {
  if (!Array.isArray(choices)) return;
  for (const choice of choices) {
    const delta = (choice as { delta?: { content?: unknown } } | null)?.delta;
    if (typeof delta?.content === "string" && delta.content !== "") into.push(delta.content);
  }
}
