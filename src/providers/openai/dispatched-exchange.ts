import type { Dispatcher } from "undici";
import { errors as undiciErrors } from "undici";
import type { CancelSignal } from "../../core/cancellation.js";
import type { UpstreamResponse } from "../../core/ports/provider-adapter.js";
import { toTransportError } from "./transport-error.js";

/** Bytes a streamed body may hold unread before the upstream connection is paused. */
const highWaterMarkBytes = 64 * 1024;
const originAndPathCache = new Map<string, readonly [origin: string, path: string]>();
const maxCachedUrls = 512;

/**
 * POSTs over undici's `dispatch` with a handler of our own, rather than `request()`: the answer's chunks go
 * straight into a small queue instead of through a Node `Readable` (its nextTicks, listeners and async resource),
 * which `npm run bench` measured at about a third of a minimal proxy's CPU per request (ADR 0016). Resolves at the
 * response headers; transport failures reject (or fail the body) with the catalog's transport errors.
 */
export function dispatchPost(
  dispatcher: Dispatcher,
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  signal: CancelSignal,
  subject: string,
): Promise<UpstreamResponse> {
  const [origin, path] = originAndPath(url);
  return new Promise((resolve, reject) => {
    const exchange = new DispatchedExchange(signal, subject, resolve, reject);
    dispatcher.dispatch({ origin, path, method: "POST", headers, body }, exchange);
  });
}

function originAndPath(url: string): readonly [string, string] {
  let parts = originAndPathCache.get(url);
  if (parts === undefined) {
    const parsed = new URL(url);
    parts = [parsed.origin, `${parsed.pathname}${parsed.search}`];
    if (originAndPathCache.size >= maxCachedUrls) originAndPathCache.clear();
    originAndPathCache.set(url, parts);
  }
  return parts;
}

/** The dispatch handler of one exchange: resolves the response at its headers, then feeds its body. */
class DispatchedExchange implements Dispatcher.DispatchHandler {
  readonly #signal: CancelSignal;
  readonly #subject: string;
  readonly #resolve: (response: UpstreamResponse) => void;
  readonly #reject: (error: unknown) => void;
  readonly #onAbort = () => this.#controller?.abort(new undiciErrors.RequestAbortedError());
  #controller: Dispatcher.DispatchController | undefined;
  #body: ResponseBody | undefined;

  constructor(
    signal: CancelSignal,
    subject: string,
    resolve: (response: UpstreamResponse) => void,
    reject: (error: unknown) => void,
  ) {
    this.#signal = signal;
    this.#subject = subject;
    this.#resolve = resolve;
    this.#reject = reject;
    signal.on("abort", this.#onAbort);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#signal.aborted) this.#onAbort();
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    // 1xx answers (100 Continue, 103 Early Hints) precede the real one.
    if (statusCode < 200) return;
    const body = new ResponseBody(controller, this.#subject);
    this.#body = body;
    this.#resolve({ status: statusCode, headers, body, bytes: () => body.bytes() });
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#body?.push(chunk);
  }

  onResponseEnd(): void {
    this.#signal.removeListener("abort", this.#onAbort);
    this.#body?.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#signal.removeListener("abort", this.#onAbort);
    const failure = toTransportError(error, this.#subject);
    if (this.#body === undefined) this.#reject(failure);
    else this.#body.fail(failure);
  }
}

/**
 * A response body read once, either whole (`bytes()`) or chunk by chunk (async iteration). While it is iterated,
 * more than `highWaterMarkBytes` unread pauses the connection until the reader catches up; leaving the loop early
 * aborts the exchange, which releases the connection.
 */
class ResponseBody implements AsyncIterable<Uint8Array> {
  readonly #controller: Dispatcher.DispatchController;
  readonly #subject: string;
  readonly #queue: Buffer[] = [];
  #queuedBytes = 0;
  #ended = false;
  #failure: unknown;
  /** How the body is read: not yet, whole (`bytes()`), or chunk by chunk (iteration, with back-pressure). */
  #reading: "not yet" | "whole" | "chunks" = "not yet";
  #wake: (() => void) | undefined;
  #whole: { resolve: (bytes: Uint8Array) => void; reject: (error: unknown) => void } | undefined;

  constructor(controller: Dispatcher.DispatchController, subject: string) {
    this.#controller = controller;
    this.#subject = subject;
  }

  push(chunk: Buffer): void {
    this.#queue.push(chunk);
    this.#queuedBytes += chunk.length;
    if (this.#reading === "chunks" && this.#queuedBytes > highWaterMarkBytes) this.#controller.pause();
    this.#wakeReader();
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#settle();
  }

  fail(failure: unknown): void {
    if (this.#ended) return;
    this.#failure = failure;
    this.#ended = true;
    this.#settle();
  }

  bytes(): Promise<Uint8Array> {
    this.#claim("whole");
    return new Promise((resolve, reject) => {
      this.#whole = { resolve, reject };
      if (this.#ended) this.#settle();
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    this.#claim("chunks");
    return {
      next: () => this.#next(),
      return: () => {
        if (!this.#ended) {
          this.#ended = true;
          this.#controller.abort(new undiciErrors.RequestAbortedError());
        }
        this.#queue.length = 0;
        this.#queuedBytes = 0;
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }

  #claim(reading: "whole" | "chunks"): void {
    if (this.#reading !== "not yet")
      throw new Error(`${this.#subject}: a response body can be read only once`);
    this.#reading = reading;
  }

  async #next(): Promise<IteratorResult<Uint8Array>> {
    while (this.#queue.length === 0) {
      if (this.#failure !== undefined) throw this.#failure;
      if (this.#ended) return { done: true, value: undefined };
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
    const chunk = this.#queue.shift() as Buffer;
    this.#queuedBytes -= chunk.length;
    if (this.#controller.paused && this.#queuedBytes <= highWaterMarkBytes) this.#controller.resume();
    return { done: false, value: chunk };
  }

  #settle(): void {
    const whole = this.#whole;
    if (whole === undefined) {
      this.#wakeReader();
      return;
    }
    this.#whole = undefined;
    if (this.#failure !== undefined) whole.reject(this.#failure);
    else whole.resolve(this.#queue.length === 1 ? (this.#queue[0] as Buffer) : Buffer.concat(this.#queue));
    this.#queue.length = 0;
  }

  #wakeReader(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
