import { EventEmitter } from "node:events";

/**
 * What upstream calls listen to for "the client went away". An EventEmitter with an `aborted` flag, which
 * undici accepts as a `signal`: creating and listening to one costs a fraction of an `AbortController`'s
 * EventTarget, and the gateway makes one per request.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  on(event: "abort", listener: () => void): unknown;
  removeListener(event: "abort", listener: () => void): unknown;
}

export class Cancellation extends EventEmitter implements CancelSignal {
  aborted = false;

  cancel(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit("abort");
  }
}
