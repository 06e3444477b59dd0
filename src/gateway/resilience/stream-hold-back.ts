import { createParser } from "eventsource-parser";
import { GatewayError, isGatewayError } from "../../core/gateway-error.js";

export type HeldStream =
  | {
      readonly kind: "commit";
      /** The held bytes, then the rest of the upstream stream. */
      readonly stream: AsyncIterable<Uint8Array>;
      /** Whether a content event (or the end) arrived; false when the hold-back time ran out first. */
      readonly contentBegan: boolean;
      /** How many of the first chunks of `stream` are replayed held chunks. */
      readonly heldChunks: number;
    }
  | { readonly kind: "failed"; readonly error: GatewayError; readonly upstreamError: unknown };

const expired = Symbol("expired");

/**
 * Holds back the opening of a stream until its first content event (OpenAI: a delta with content, tool calls or
 * a refusal, a finish reason, usage, or `[DONE]`; Anthropic: a `content_block_delta`, usage, or `message_stop`;
 * OpenAI Responses: a `response.….delta` event or the response's end) or until `holdBackMs` passes, whichever comes
 * first. A cut, an error event or a malformed event before that is a failure the caller can still fall back
 * from, since nothing has reached the client. On failure the upstream iterator has been returned.
 */
export async function holdBackStream(
  upstream: AsyncIterable<Uint8Array>,
  holdBackMs: number,
): Promise<HeldStream> {
  const iterator = upstream[Symbol.asyncIterator]();
  const held: Uint8Array[] = [];
  const scan = new OpeningScanner();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof expired>((resolve) => {
    timer = setTimeout(() => resolve(expired), holdBackMs);
  });
  try {
    for (;;) {
      const next = iterator.next();
      const result = await Promise.race([next, deadline]);
      if (result === expired) return commit(held, iterator, next, false);
      if (result.done === true) {
        if (scan.finished) return commit(held, iterator, undefined, true);
        return failed(
          new GatewayError(
            "GW_ERR_STREAM_INTERRUPTED",
            "The upstream stream ended before its first content.",
          ),
        );
      }
      held.push(result.value);
      scan.feed(result.value);
      if (scan.failure !== undefined) {
        await iterator.return?.();
        return failed(scan.failure);
      }
      if (scan.contentBegan || scan.finished) return commit(held, iterator, undefined, true);
    }
  } catch (error) {
    const failure = isGatewayError(error)
      ? error
      : new GatewayError(
          "GW_ERR_STREAM_INTERRUPTED",
          "The upstream stream broke off before its first content.",
          {
            cause: error,
          },
        );
    return { kind: "failed", error: failure, upstreamError: error };
  } finally {
    clearTimeout(timer);
  }
}

function failed(error: GatewayError): HeldStream {
  return { kind: "failed", error, upstreamError: error };
}

function commit(
  held: readonly Uint8Array[],
  iterator: AsyncIterator<Uint8Array>,
  pending: Promise<IteratorResult<Uint8Array>> | undefined,
  contentBegan: boolean,
): HeldStream {
  return { kind: "commit", stream: replay(held, iterator, pending), contentBegan, heldChunks: held.length };
}

async function* replay(
  held: readonly Uint8Array[],
  iterator: AsyncIterator<Uint8Array>,
  pending: Promise<IteratorResult<Uint8Array>> | undefined,
): AsyncGenerator<Uint8Array> {
  let done = false;
  try {
    for (const bytes of held) yield bytes;
    if (pending !== undefined) {
      const result = await pending;
      if (result.done === true) {
        done = true;
        return;
      }
      yield result.value;
    }
    for (;;) {
      const result = await iterator.next();
      if (result.done === true) {
        done = true;
        return;
      }
      yield result.value;
    }
  } finally {
    // Leaving early (client gone, malformed event) releases the upstream connection. Not awaited: with a read
    // still pending, an async generator's return() waits for that read, which may never come.
    if (!done) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}

/** Reads the first events of a stream: has content begun, did it end, or did it fail first? */
class OpeningScanner {
  contentBegan = false;
  finished = false;
  failure: GatewayError | undefined;
  readonly #decoder = new TextDecoder();
  readonly #parser = createParser({
    onEvent: (event) => {
      if (this.contentBegan || this.finished || this.failure !== undefined) return;
      if (event.data === "[DONE]") {
        this.finished = true;
        return;
      }
      let chunk: unknown;
      try {
        chunk = JSON.parse(event.data);
      } catch {
        this.failure = new GatewayError(
          "GW_ERR_UPSTREAM_INVALID_RESPONSE",
          "The upstream sent a malformed stream event before its first content.",
        );
        return;
      }
      if (chunk === null || typeof chunk !== "object") return;
      const record = chunk as Record<string, unknown>;
      if (record.error !== undefined && record.error !== null) {
        this.failure = new GatewayError("GW_ERR_UPSTREAM_ERROR", upstreamErrorMessage(record.error));
        return;
      }
      // Anthropic-dialect streams (a translated or passed-through Messages stream): content deltas and the end.
      if (record.type === "content_block_delta") this.contentBegan = true;
      if (record.type === "message_stop") this.finished = true;
      if (record.usage !== undefined && record.usage !== null) this.contentBegan = true;
      // OpenAI Responses streams: any delta is content; an `error` event or a failed response is a failure.
      if (typeof record.type === "string" && record.type.startsWith("response.")) {
        if (record.type.endsWith(".delta")) this.contentBegan = true;
        if (record.type === "response.completed" || record.type === "response.incomplete")
          this.finished = true;
        if (record.type === "response.failed") {
          const response = record.response as { error?: unknown } | null | undefined;
          this.failure = new GatewayError(
            "GW_ERR_UPSTREAM_ERROR",
            upstreamErrorMessage(response?.error ?? {}),
          );
        }
      }
      if (record.type === "error" && typeof record.message === "string") {
        this.failure = new GatewayError("GW_ERR_UPSTREAM_ERROR", upstreamErrorMessage(record));
        return;
      }
      if (Array.isArray(record.choices) && record.choices.some(choiceHasContent)) this.contentBegan = true;
    },
  });

  feed(bytes: Uint8Array): void {
    this.#parser.feed(this.#decoder.decode(bytes, { stream: true }));
  }
}

function choiceHasContent(choice: unknown): boolean {
  if (choice === null || typeof choice !== "object") return false;
  const record = choice as Record<string, unknown>;
  if (record.finish_reason !== null && record.finish_reason !== undefined) return true;
  const delta = record.delta as Record<string, unknown> | null | undefined;
  if (delta === null || delta === undefined) return false;
  return (
    (typeof delta.content === "string" && delta.content !== "") ||
    (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) ||
    (typeof delta.refusal === "string" && delta.refusal !== "") ||
    delta.function_call !== undefined
  );
}

function upstreamErrorMessage(error: unknown): string {
  const message = (error as { message?: unknown }).message;
  return `The upstream sent an error event before its first content: ${
    typeof message === "string" ? message.slice(0, 200) : "no message"
  }`;
}
