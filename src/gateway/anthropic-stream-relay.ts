import { createParser, type EventSourceMessage } from "eventsource-parser";
import { type GatewayError, isGatewayError } from "../core/gateway-error.js";
import { readAnthropicUsage } from "./anthropic-usage.js";
import type { StreamRelayOptions } from "./openai-stream-relay.js";
import { streamInterruption } from "./stream-interruption.js";

/**
 * Relays an Anthropic Messages SSE stream event by event, unchanged. It records usage (input counts from
 * `message_start`, output from `message_delta`) and time to first event. A stream is complete at
 * `message_stop`; an upstream `error` event is passed on and ends it; anything else that ends it (a cut, an
 * idle timeout, a malformed event) becomes a final `event: error`, so the client never sees a clean end. With a
 * guard (output policies, masking), events are rewritten by it; a policy block ends the stream the same way.
 * `onEnd` hears whether the upstream broke the stream (any end but `message_stop` or a policy block), unless the
 * client left first.
 */
export async function* relayAnthropicStream(options: StreamRelayOptions): AsyncGenerator<string> {
  const { context } = options;
  const pending: string[] = [];
  let finished = false;
  /** An upstream `error` event ended the stream: relayed as is, but the upstream broke it. */
  let upstreamError = false;
  let malformed: string | undefined;
  let blocked: GatewayError | undefined;
  const { guard } = options;
  const parser = createParser({
    onEvent(event: EventSourceMessage) {
      if (malformed !== undefined || blocked !== undefined || finished) return;
      if (context.ttftMs === null) context.ttftMs = performance.now() - context.startedAt;
      let payload: unknown;
      try {
        payload = JSON.parse(event.data);
      } catch {
        malformed = event.data.slice(0, 80);
        return;
      }
      const record = (payload ?? {}) as Record<string, unknown>;
      const type = record.type;
      if (type === "message_start") {
        const message = record.message as Record<string, unknown> | undefined;
        context.usage = readAnthropicUsage(message?.usage, context.usage);
      } else if (type === "message_delta") {
        context.usage = readAnthropicUsage(record.usage, context.usage);
      } else if (type === "message_stop") {
        if (guard !== undefined && !guarded(() => [...guard.end(), ...guard.chunk(record)])) return;
        finished = true;
        if (guard !== undefined) return;
      } else if (type === "error") {
        finished = true;
        upstreamError = true;
        context.errorCode = "GW_ERR_UPSTREAM_ERROR";
        context.loggedStatus = 502;
      } else if (guard !== undefined) {
        guarded(() => guard.chunk(record));
        return;
      }
      pending.push(`event: ${event.event ?? String(type)}\ndata: ${event.data}\n\n`);
    },
  });
  /** Queues the guard's events; a policy block stops the stream instead. */
  const guarded = (produce: () => Record<string, unknown>[]): boolean => {
    try {
      for (const item of produce())
        pending.push(`event: ${String(item.type)}\ndata: ${JSON.stringify(item)}\n\n`);
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
      // Judged before the last events go out: a client reacts to `message_stop` or `error` at once.
      if (finished) options.onEnd?.(upstreamError);
      if (pending.length > 0) yield pending.splice(0).join("");
      if (blocked !== undefined) {
        failure = blocked;
        break;
      }
      if (malformed !== undefined) {
        failure = streamInterruption.malformed(malformed);
        break;
      }
      if (finished) break;
    }
    if (failure === undefined && !finished) {
      failure = streamInterruption.endedEarly();
    }
  } catch (error) {
    if (context.signal.aborted) return;
    failure = streamInterruption.brokeOff(error);
  }
  if (failure !== undefined) {
    options.onEnd?.(failure !== blocked);
    context.errorCode = failure.code;
    context.loggedStatus = failure.status;
    yield options.renderError(failure);
  }
}
