import { setTimeout as delay } from "node:timers/promises";
import { ExponentialBackoff, handleWhen, retry } from "cockatiel";
import type { SloWebhookConfig } from "../../core/gateway-config.js";

/** A network failure, a timeout, 429 or 5xx: worth another attempt. */
class RetryableDeliveryError extends Error {}

export interface WebhookSenderOptions {
  /** Attempts per message, the first included. */
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly timeoutMs: number;
  /** Told of a message given up on (never its URL, which may be a credential, nor its body). */
  readonly onFailure: (webhook: string, reason: string) => void;
  readonly fetch?: typeof fetch;
}

/**
 * Delivers JSON messages to webhooks off the request path, one queue per webhook so a resolve never overtakes
 * its trigger. Retries with exponential backoff and jitter (cockatiel); a message that still fails is
 * reported and dropped, never fatal.
 */
export class WebhookSender {
  readonly #options: WebhookSenderOptions;
  readonly #queues = new Map<string, Promise<void>>();
  readonly #policy;
  readonly #stop = new AbortController();

  constructor(options: WebhookSenderOptions) {
    this.#options = options;
    this.#policy = retry(
      handleWhen((error) => error instanceof RetryableDeliveryError),
      {
        maxAttempts: options.maxAttempts - 1,
        backoff: new ExponentialBackoff({ initialDelay: options.retryBaseMs, maxDelay: 60_000 }),
      },
    );
  }

  send(webhook: SloWebhookConfig, body: Record<string, unknown>): void {
    const previous = this.#queues.get(webhook.name) ?? Promise.resolve();
    const next = previous.then(() =>
      this.#deliver(webhook, JSON.stringify(body)).catch((error: unknown) =>
        this.#options.onFailure(webhook.name, error instanceof Error ? error.message : String(error)),
      ),
    );
    this.#queues.set(webhook.name, next);
  }

  /** Resolves once every message queued so far was delivered or given up on. */
  async idle(): Promise<void> {
    let pending = [...this.#queues.values()];
    while (pending.length > 0) {
      await Promise.all(pending);
      const now = [...this.#queues.values()];
      pending = now.filter((queue) => !pending.includes(queue));
    }
  }

  /** Waits up to one attempt's timeout for queued messages, then stops: what is left is given up on. */
  async close(): Promise<void> {
    await Promise.race([this.idle(), delay(this.#options.timeoutMs, undefined, { ref: false })]);
    this.#stop.abort();
    await this.idle();
  }

  async #deliver(webhook: SloWebhookConfig, body: string): Promise<void> {
    const send = this.#options.fetch ?? fetch;
    await this.#policy.execute(async () => {
      if (this.#stop.signal.aborted) throw new Error("gateway closing; not delivered");
      let response: Response;
      try {
        response = await send(webhook.url, {
          method: "POST",
          headers: { "content-type": "application/json", ...webhook.headers },
          body,
          signal: AbortSignal.any([AbortSignal.timeout(this.#options.timeoutMs), this.#stop.signal]),
        });
      } catch (error) {
        throw new RetryableDeliveryError(
          `request failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      await response.body?.cancel();
      if (response.ok) return;
      const reason = `HTTP ${response.status}`;
      if (response.status === 429 || response.status >= 500) throw new RetryableDeliveryError(reason);
      throw new Error(`${reason} (not retried)`);
    }, this.#stop.signal);
  }
}
