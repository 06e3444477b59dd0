/**
 * What upstream calls listen to for "the client went away": an `aborted` flag and `abort` listeners, the part of
 * an EventEmitter that undici accepts as a `signal`. The gateway makes one per request, so it is a plain class:
 * cheaper to create and to listen to than an `AbortController`'s EventTarget or an EventEmitter.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  on(event: "abort", listener: () => void): unknown;
  /** undici's `request()` listens with `once`; an abort happens at most once, so it is the same as `on`. */
  once(event: "abort", listener: () => void): unknown;
  removeListener(event: "abort", listener: () => void): unknown;
}

export class Cancellation implements CancelSignal {
  aborted = false;
  #listeners: (() => void)[] = [];

  on(_event: "abort", listener: () => void): this {
    this.#listeners.push(listener);
    return this;
  }

  once(event: "abort", listener: () => void): this {
    return this.on(event, listener);
  }

  removeListener(_event: "abort", listener: () => void): this {
    const index = this.#listeners.lastIndexOf(listener);
    if (index !== -1) this.#listeners.splice(index, 1);
    return this;
  }

  /** Sets `aborted` and calls every listener once, in the order they were added. */
  cancel(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
  }
}
