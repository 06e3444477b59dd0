import type { SloAlertingConfig, SloConfig } from "../../core/gateway-config.js";
import type { SloBucketStore } from "../../core/ports/slo-bucket-store.js";
import { burnRateWindows } from "./burn-rate-alerts.js";
import { alertMessageBody } from "./format-alert-message.js";
import { type SloAlertEvent, SloAlerter } from "./slo-alerter.js";
import { type SloStatus, SloTracker } from "./slo-tracker.js";
import { WebhookSender } from "./webhook-sender.js";

const retentionSlackMs = 86_400_000;

export interface SloServiceOptions {
  readonly slos: readonly SloConfig[];
  readonly alerting: SloAlertingConfig;
  readonly store: SloBucketStore;
  /** Epoch ms; injectable so tests drive time without waiting. */
  readonly clock: () => number;
  /** Names this gateway in alerts when `alerting.source` is not set. */
  readonly defaultSource: string;
  readonly onPersistError: (error: unknown) => void;
  /** An evaluation that threw (a bug); the next one runs as usual. */
  readonly onEvaluateError: (error: unknown) => void;
  readonly onDeliveryFailure: (webhook: string, reason: string) => void;
  /** Told of every alert trigger and resolve (for logs), after it is queued for the webhooks. */
  readonly onAlert?: (event: SloAlertEvent) => void;
  readonly fetch?: typeof fetch;
}

/**
 * Evaluates SLOs continuously inside the gateway: the tracker counts requests (fed by the gateway), a timer
 * evaluates burn rates and sends alert changes to the webhooks, another writes the counts to storage.
 */
export class SloService {
  readonly tracker: SloTracker;
  readonly #options: SloServiceOptions;
  readonly #alerter = new SloAlerter();
  readonly #sender: WebhookSender;
  readonly #timers: NodeJS.Timeout[] = [];
  #persisting: Promise<void> = Promise.resolve();
  #lastCleanup = 0;

  constructor(options: SloServiceOptions) {
    this.#options = options;
    this.tracker = new SloTracker(options.slos, options.clock);
    this.#sender = new WebhookSender({
      maxAttempts: options.alerting.maxAttempts,
      retryBaseMs: options.alerting.retryBaseMs,
      timeoutMs: options.alerting.timeoutMs,
      onFailure: options.onDeliveryFailure,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
  }

  /** Loads the stored window, then evaluates and persists on timers. */
  async start(): Promise<void> {
    const longest = Math.max(burnRateWindows["3d"], ...this.#options.slos.map((slo) => slo.windowMs));
    this.tracker.load(await this.#options.store.query(this.#options.clock() - longest));
    const every = (intervalMs: number, task: () => unknown) => {
      const timer = setInterval(task, intervalMs);
      timer.unref();
      this.#timers.push(timer);
    };
    every(this.#options.alerting.evaluateIntervalMs, () => {
      try {
        this.evaluate();
      } catch (error) {
        this.#options.onEvaluateError(error);
      }
    });
    every(this.#options.alerting.persistIntervalMs, () => void this.persist());
  }

  statuses(): SloStatus[] {
    return this.tracker.statuses();
  }

  /** Evaluates burn rates now and queues the alert changes for delivery; returns them. */
  evaluate(): SloAlertEvent[] {
    const events = this.#alerter.evaluate(this.tracker.statuses(), this.#options.clock());
    const source = this.#options.alerting.source ?? this.#options.defaultSource;
    for (const event of events) {
      for (const webhook of this.#options.alerting.webhooks) {
        if (webhook.severities.includes(event.severity))
          this.#sender.send(webhook, alertMessageBody(webhook, event, source));
      }
      this.#options.onAlert?.(event);
    }
    return events;
  }

  /** Resolves once every alert message queued so far was delivered or given up on. */
  deliveries(): Promise<void> {
    return this.#sender.idle();
  }

  /** Adds the counts recorded since the last persist to storage (one at a time); failures are retried next time. */
  persist(): Promise<void> {
    this.#persisting = this.#persisting.then(async () => {
      const { rows, markPersisted } = this.tracker.takeUnpersisted();
      try {
        if (rows.length > 0) await this.#options.store.addBatch(rows);
        markPersisted();
        const now = this.#options.clock();
        if (now - this.#lastCleanup > burnRateWindows["1h"]) {
          this.#lastCleanup = now;
          const longest = Math.max(burnRateWindows["3d"], ...this.#options.slos.map((slo) => slo.windowMs));
          await this.#options.store.deleteBefore(now - longest - retentionSlackMs);
        }
      } catch (error) {
        this.#options.onPersistError(error);
      }
    });
    return this.#persisting;
  }

  /** Stops the timers, writes what is left and gives queued alerts a last chance to go out. */
  async close(): Promise<void> {
    for (const timer of this.#timers.splice(0)) clearInterval(timer);
    await this.persist();
    await this.#sender.close();
  }
}
