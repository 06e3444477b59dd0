import { createParser, type EventSourceMessage } from "eventsource-parser";
import { readResponsesUsage } from "../core/cost/token-usage.js";
import { type GatewayError, isGatewayError } from "../core/gateway-error.js";
import type { StreamRelayOptions } from "./openai-stream-relay.js";
import { streamInterruption } from "./stream-interruption.js";

/** Events that end a Responses stream; OpenAI sends no `[DONE]` after them. */
const terminalEvents = new Set(["response.completed", "response.incomplete", "response.failed", "error"]);

/**
 * Relays an OpenAI Responses SSE stream event by event, unchanged. It records usage from the Response carried
 * by `response.completed`, `response.incomplete` or `response.failed`, and time to first event. A stream is
 * complete at one of those or at an `error` event (passed on); anything else that ends it (a cut, an idle
 * timeout, a malformed event) becomes a final `error` event numbered after the last one relayed, never a
 * made-up `response.completed`. With a guard (output policies, masking), events are rewritten by it (what it
 * still holds is released before the final Response event); a policy block ends the stream the same way.
 */
export async function* relayResponsesStream(options: StreamRelayOptions): AsyncGenerator<string> {
  const { context } = options;
  const pending: string[] = [];
  let finished = false;
  let malformed: string | undefined;
  let nextSequence = 0;
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
      const type = typeof record.type === "string" ? record.type : event.event;
      if (guard === undefined && typeof record.sequence_number === "number")
        nextSequence = record.sequence_number + 1;
      if (type === "response.output_text.delta" && context.completionText !== undefined) {
        if (typeof record.delta === "string") context.completionText.push(record.delta);
      }
      if (type !== undefined && terminalEvents.has(type)) {
        finished = true;
        const response = record.response as Record<string, unknown> | undefined;
        if (response !== undefined && response !== null && typeof response === "object") {
          context.tracing?.noteResponse(response);
          if (response.usage !== undefined && response.usage !== null) {
            context.usage = readResponsesUsage(response.usage);
          }
        }
        if (type === "error" || type === "response.failed") {
          context.errorCode = "GW_ERR_UPSTREAM_ERROR";
          context.loggedStatus = 502;
        }
      }
      if (guard !== undefined) {
        const terminal = finished;
        guarded(() => (terminal ? [...guard.end(), ...guard.chunk(record)] : guard.chunk(record)));
        return;
      }
      pending.push(`event: ${event.event ?? String(type)}\ndata: ${event.data}\n\n`);
    },
  });
  /** Queues the guard's events (their numbering is the guard's); a policy block stops the stream instead. */
  const guarded = (produce: () => Record<string, unknown>[]): void => {
    try {
      for (const item of produce()) {
        if (typeof item.sequence_number === "number") nextSequence = item.sequence_number + 1;
        pending.push(`event: ${String(item.type)}\ndata: ${JSON.stringify(item)}\n\n`);
      }
    } catch (error) {
      if (!isGatewayError(error)) throw error;
      blocked = error;
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
      if (finished) break;
    }
    if (failure === undefined && !finished) failure = streamInterruption.endedEarly();
  } catch (error) {
    if (context.signal.aborted) return;
    failure = streamInterruption.brokeOff(error);
  }
  options.onEnd?.(failure !== undefined && failure !== blocked);
  if (failure !== undefined) {
    context.errorCode = failure.code;
    context.loggedStatus = failure.status;
    yield options.renderError(failure, nextSequence);
  }
}
