import type { BackpressureConfig } from "../core/gateway-config.js";
import { GatewayError } from "../core/gateway-error.js";
import type { GatewayContext } from "./gateway-context.js";
import type { ResolvedTarget } from "./route-table.js";
import { occupyTarget } from "./target-stats.js";

export type ShedReason = "queue-full" | "queue-timeout" | "event-loop";

/** Settings used when no `backpressure` section is configured but a target sets `maxConcurrency`. */
export const defaultBackpressure: BackpressureConfig = {
  maxQueue: 100,
  queueTimeoutMs: 10_000,
  retryAfterSeconds: 1,
};

interface Waiter {
  readonly context: GatewayContext;
  readonly admitted: () => void;
  readonly rejected: (error: GatewayError) => void;
}

/**
 * Admission control after routing: a request runs when a global slot is free (if `maxConcurrent` is set) and at
 * least one of its planned targets is under its `maxConcurrency`; otherwise it waits in a bounded FIFO queue for
 * at most `queueTimeoutMs`. A full queue, a timeout, or an event loop lagging past `maxEventLoopLagMs` sheds the
 * request with 503 and `Retry-After`. A slot is held until the response is over (streams included).
 */
export class AdmissionController {
  #settings: BackpressureConfig | undefined;
  #active = 0;
  readonly #queue: Waiter[] = [];
  readonly #lagMs: () => number;
  readonly #onShed: (reason: ShedReason) => void;

  constructor(options: {
    readonly settings: BackpressureConfig | undefined;
    readonly lagMs: () => number;
    readonly onShed?: (reason: ShedReason) => void;
  }) {
    this.#settings = options.settings;
    this.#lagMs = options.lagMs;
    this.#onShed = options.onShed ?? (() => undefined);
  }

  /** Applies reloaded settings; waiting requests keep waiting under the new limits. */
  configure(settings: BackpressureConfig | undefined): void {
    this.#settings = settings;
    this.#drain();
  }

  /** Requests holding a slot. */
  get active(): number {
    return this.#active;
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Admits the request now (answers undefined: no promise on the fast path), or answers a promise that settles
   * when it is admitted or shed. Throws when it is shed at once.
   */
  admit(context: GatewayContext): Promise<void> | undefined {
    const targets = context.route?.targets ?? [];
    const settings = this.#settings ?? (targets.some(hasLimit) ? defaultBackpressure : undefined);
    if (settings === undefined) return undefined;
    const maxLag = settings.maxEventLoopLagMs;
    if (maxLag !== undefined && this.#lagMs() > maxLag) {
      throw this.#shed(
        "event-loop",
        settings,
        "The gateway is overloaded (event loop lagging); retry later.",
      );
    }
    // Waiters never hold a free slot (release hands it over at once), so trying first is fair to them.
    if (this.#tryAdmit(context, settings)) return undefined;
    if (this.#queue.length >= settings.maxQueue) {
      throw this.#shed(
        "queue-full",
        settings,
        "The gateway is at capacity and its queue is full; retry later.",
      );
    }
    return this.#wait(context, settings);
  }

  #wait(context: GatewayContext, settings: BackpressureConfig): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const leave = () => {
        clearTimeout(timer);
        context.signal.removeListener("abort", onAbort);
        const index = this.#queue.indexOf(waiter);
        if (index >= 0) this.#queue.splice(index, 1);
      };
      const waiter: Waiter = {
        context,
        admitted: () => {
          leave();
          resolve();
        },
        rejected: (error) => {
          leave();
          reject(error);
        },
      };
      const onAbort = () =>
        waiter.rejected(new GatewayError("GW_ERR_CLIENT_DISCONNECTED", "The client closed the connection."));
      const timer = setTimeout(
        () =>
          waiter.rejected(
            this.#shed(
              "queue-timeout",
              settings,
              `No capacity freed up within ${settings.queueTimeoutMs} ms; retry later.`,
            ),
          ),
        settings.queueTimeoutMs,
      );
      context.signal.on("abort", onAbort);
      this.#queue.push(waiter);
    });
  }

  /** Takes a global slot and a slot on the first planned target with room, or answers false. */
  #tryAdmit(context: GatewayContext, settings: BackpressureConfig): boolean {
    if (settings.maxConcurrent !== undefined && this.#active >= settings.maxConcurrent) return false;
    const route = context.route;
    if (route === undefined) return false;
    const targets = route.targets.some(atCapacity)
      ? route.targets.filter((target) => !atCapacity(target))
      : route.targets;
    const first = targets[0];
    if (first === undefined) return false;
    // Targets at their limit are dropped from this request's fallbacks too.
    if (targets !== route.targets) context.route = { ...route, targets };
    occupyTarget(context, first.stats);
    this.#active += 1;
    let released = false;
    context.releaseAdmission = () => {
      if (released) return;
      released = true;
      this.#active -= 1;
      this.#drain();
    };
    return true;
  }

  /** Admits waiting requests, oldest first, for as long as there is room (a blocked one does not block others). */
  #drain(): void {
    if (this.#queue.length === 0) return;
    const settings = this.#settings ?? defaultBackpressure;
    for (const waiter of [...this.#queue]) {
      if (settings.maxConcurrent !== undefined && this.#active >= settings.maxConcurrent) return;
      if (this.#tryAdmit(waiter.context, settings)) waiter.admitted();
    }
  }

  #shed(reason: ShedReason, settings: BackpressureConfig, message: string): GatewayError {
    this.#onShed(reason);
    const code =
      reason === "queue-full"
        ? "GW_ERR_OVERLOADED_QUEUE_FULL"
        : reason === "queue-timeout"
          ? "GW_ERR_OVERLOADED_QUEUE_TIMEOUT"
          : "GW_ERR_OVERLOADED_EVENT_LOOP";
    return new GatewayError(code, message, { retryAfterSeconds: settings.retryAfterSeconds });
  }
}

function hasLimit(target: ResolvedTarget): boolean {
  return target.maxConcurrency !== undefined;
}

function atCapacity(target: ResolvedTarget): boolean {
  return target.maxConcurrency !== undefined && target.stats.inFlight >= target.maxConcurrency;
}
