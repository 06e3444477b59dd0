import { Cancellation, type CancelSignal } from "../../core/cancellation.js";
import { GatewayError } from "../../core/gateway-error.js";

export type DeadlineKind = "first-token" | "total";

/**
 * The signal one upstream attempt runs under: it fires when the client goes away, when the first token has not
 * come within `firstTokenMs`, or when the request's total deadline passes. Made only when a timeout is set;
 * otherwise attempts use the client's signal directly.
 */
export class AttemptDeadline {
  readonly #cancellation = new Cancellation();
  readonly #clientSignal: CancelSignal;
  #firstTokenTimer: NodeJS.Timeout | undefined;
  #totalTimer: NodeJS.Timeout | undefined;
  #expired: DeadlineKind | undefined;
  readonly #forward = () => this.#cancellation.cancel();

  constructor(
    clientSignal: CancelSignal,
    firstTokenMs: number | undefined,
    totalRemainingMs: number | undefined,
  ) {
    this.#clientSignal = clientSignal;
    clientSignal.on("abort", this.#forward);
    if (clientSignal.aborted) this.#cancellation.cancel();
    if (firstTokenMs !== undefined)
      this.#firstTokenTimer = setTimeout(() => this.#expire("first-token"), firstTokenMs);
    if (totalRemainingMs !== undefined)
      this.#totalTimer = setTimeout(() => this.#expire("total"), Math.max(0, totalRemainingMs));
  }

  get signal(): CancelSignal {
    return this.#cancellation;
  }

  /** Which limit fired, if one did. */
  get expired(): DeadlineKind | undefined {
    return this.#expired;
  }

  firstTokenArrived(): void {
    clearTimeout(this.#firstTokenTimer);
  }

  /** The catalog error for the limit that fired; undefined when none did. */
  error(firstTokenMs: number | undefined, totalMs: number | undefined): GatewayError | undefined {
    if (this.#expired === "first-token")
      return new GatewayError(
        "GW_ERR_UPSTREAM_TIMEOUT",
        `The upstream sent no first token within ${firstTokenMs ?? 0} ms.`,
      );
    if (this.#expired === "total")
      return new GatewayError(
        "GW_ERR_REQUEST_DEADLINE_EXCEEDED",
        `The request did not complete within ${totalMs ?? 0} ms.`,
      );
    return undefined;
  }

  dispose(): void {
    clearTimeout(this.#firstTokenTimer);
    clearTimeout(this.#totalTimer);
    this.#clientSignal.removeListener("abort", this.#forward);
  }

  #expire(kind: DeadlineKind): void {
    this.#expired ??= kind;
    this.#cancellation.cancel();
  }
}
