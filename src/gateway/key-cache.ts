import { TenancyDirectory } from "../core/key-attribution.js";
import { hashKeySecret } from "../core/key-secret.js";
import type { KeyStore, VirtualKeyRecord } from "../core/ports/key-store.js";
import type { TenancyStore } from "../core/ports/tenancy-store.js";
import type { Caller } from "./gateway-context.js";

export interface KeyCacheOptions {
  readonly store: KeyStore;
  readonly tenancy: TenancyStore;
  readonly masterKeyHash: string;
  readonly refreshIntervalMs: number;
  readonly onRefreshError: (error: unknown) => void;
  /** How a presented secret is hashed; `hashKeySecret` unless a test counts the calls. */
  readonly hashSecret?: (secret: string) => string;
}

type KeyCaller = Extract<Caller, { kind: "virtual-key" }>;

/** Why a presented secret does not authenticate: unknown or revoked, past its expiry, or rotated out. */
export type KeyRejection = "unknown" | "expired" | "rotated";

interface HashEntry {
  readonly caller: KeyCaller;
  /** True for a rotated key's previous secret, valid until `previousKeyExpiresAt`. */
  readonly previous: boolean;
}

/**
 * Every change is read again for this long after it was first seen. Nodes stamp `updatedAt` with their own
 * clocks, and a transaction may commit after a later-stamped one was read; re-reading a window makes both
 * harmless up to this much clock skew or commit delay. Costs one indexed range query per refresh.
 */
export const refreshOverlapMs = 5_000;

const masterCaller: Caller = Object.freeze({ kind: "master" });

/**
 * Secrets whose hash is remembered: SHA-256 of the presented key was ~2.5 µs of every request (V8 CPU profile
 * of `npm run bench`), and a client sends the same key again and again.
 */
const maxRememberedSecrets = 1024;

/**
 * Every key held in memory by hash, so authentication never touches the database on the request path.
 * Keys created, changed, rotated or revoked elsewhere (another node, the CLI) are picked up within one
 * refresh interval; expiry and the end of a rotation's grace period are checked against the clock on each
 * request, so they take effect on every node at that moment.
 */
export class KeyCache {
  readonly #byHash = new Map<string, HashEntry>();
  readonly #byId = new Map<string, KeyCaller>();
  readonly #options: KeyCacheOptions;
  readonly #hashSecret: (secret: string) => string;
  /**
   * Hashes of secrets that matched the master key or a stored key, keyed by the secret. Held in memory only,
   * like the request headers they came from; an unknown secret is hashed every time, so guesses cannot fill
   * it. Whether the key is still valid is decided by hash on every request, so revocations apply at once.
   */
  readonly #rememberedHashes = new Map<string, string>();
  #directory = new TenancyDirectory([], []);
  #directoryVersion = "";
  #lastUpdatedAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #refreshing: Promise<void> | undefined;

  constructor(options: KeyCacheOptions) {
    this.#options = options;
    this.#hashSecret = options.hashSecret ?? hashKeySecret;
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

  /** Loads keys changed since the last refresh, and teams and projects; concurrent calls share one load. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#load().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** A load that starts after this call: sees every change committed before it (a load in flight may not). */
  async refreshNow(): Promise<void> {
    await this.#refreshing?.catch(() => undefined);
    await this.refresh();
  }

  /** The caller for a presented secret, or why it is refused. */
  authenticate(secret: string): Caller | KeyRejection {
    const hash = this.#hashOf(secret);
    if (hash === this.#options.masterKeyHash) return masterCaller;
    const entry = this.#byHash.get(hash);
    if (entry === undefined) return "unknown";
    const key = entry.caller.key;
    if (key.revokedAt !== null) return "unknown";
    if (key.expiresAt !== null || entry.previous) {
      const now = Date.now();
      if (key.expiresAt !== null && now >= key.expiresAt) return "expired";
      if (entry.previous && now >= (key.previousKeyExpiresAt ?? 0)) return "rotated";
    }
    return entry.caller;
  }

  /** The secret's hash, remembered when it belongs to the master key or a stored key. */
  #hashOf(secret: string): string {
    const remembered = this.#rememberedHashes.get(secret);
    if (remembered !== undefined) return remembered;
    const hash = this.#hashSecret(secret);
    if (hash === this.#options.masterKeyHash || this.#byHash.has(hash)) {
      if (this.#rememberedHashes.size >= maxRememberedSecrets) this.#rememberedHashes.clear();
      this.#rememberedHashes.set(secret, hash);
    }
    return hash;
  }

  async #load(): Promise<void> {
    const [changed, teams, projects] = await Promise.all([
      this.#options.store.listChangedSince(Math.max(0, this.#lastUpdatedAt - refreshOverlapMs)),
      this.#options.tenancy.listTeams(),
      this.#options.tenancy.listProjects(),
    ]);
    const version = [...teams, ...projects].map((entity) => `${entity.id}@${entity.updatedAt}`).join(",");
    if (version !== this.#directoryVersion) {
      this.#directoryVersion = version;
      this.#directory = new TenancyDirectory(teams, projects);
      for (const caller of [...this.#byId.values()]) this.#put(caller.key);
    }
    for (const key of changed) {
      this.#put(key);
      if (key.updatedAt > this.#lastUpdatedAt) this.#lastUpdatedAt = key.updatedAt;
    }
  }

  #put(key: VirtualKeyRecord): void {
    const old = this.#byId.get(key.id);
    if (old !== undefined) {
      this.#byHash.delete(old.key.keyHash);
      if (old.key.previousKeyHash !== null) this.#byHash.delete(old.key.previousKeyHash);
    }
    const caller: KeyCaller = { kind: "virtual-key", key, attribution: this.#directory.attribute(key) };
    this.#byId.set(key.id, caller);
    this.#byHash.set(key.keyHash, { caller, previous: false });
    if (key.previousKeyHash !== null) this.#byHash.set(key.previousKeyHash, { caller, previous: true });
  }
}
