import { hashKeySecret } from "../core/key-secret.js";
import type { KeyStore, VirtualKeyRecord } from "../core/ports/key-store.js";
import type { Caller } from "./gateway-context.js";

export interface KeyCacheOptions {
  readonly store: KeyStore;
  readonly masterKeyHash: string;
  readonly refreshIntervalMs: number;
  readonly onRefreshError: (error: unknown) => void;
}

/**
 * Every key held in memory by hash, so authentication never touches the database on the request path.
 * Keys created or revoked elsewhere (another process, the CLI) are picked up within one refresh interval.
 */
export class KeyCache {
  readonly #byHash = new Map<string, VirtualKeyRecord>();
  readonly #options: KeyCacheOptions;
  #lastUpdatedAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #refreshing: Promise<void> | undefined;

  constructor(options: KeyCacheOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    await this.refresh();
    this.#timer = setInterval(() => {
      this.refresh().catch(this.#options.onRefreshError);
    }, this.#options.refreshIntervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** Loads keys changed since the last refresh; concurrent calls share one query. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#load().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** Returns the caller for a presented secret, or undefined when it is unknown or revoked. */
  authenticate(secret: string): Caller | undefined {
    const hash = hashKeySecret(secret);
    if (hash === this.#options.masterKeyHash) return { kind: "master" };
    const key = this.#byHash.get(hash);
    if (key === undefined || key.revokedAt !== null) return undefined;
    return { kind: "virtual-key", key };
  }

  async #load(): Promise<void> {
    // Inclusive bound: rows written in the same millisecond as the last one seen are read again, never missed.
    const changed = await this.#options.store.listChangedSince(this.#lastUpdatedAt);
    for (const key of changed) {
      this.#byHash.set(key.keyHash, key);
      if (key.updatedAt > this.#lastUpdatedAt) this.#lastUpdatedAt = key.updatedAt;
    }
  }
}
