import { isLeverActive, type Lever } from "../core/lever.js";
import type { LeverStore } from "../core/ports/lever-store.js";

/** Tighter timeouts a lever sets for one group; undefined fields leave the configured value. */
export interface LeverTimeouts {
  readonly firstTokenMs: number | undefined;
  readonly totalMs: number | undefined;
}

/** The combined effect of every active lever, indexed for the request path. */
export interface LeverEffects {
  /** Target labels (`provider/model`) or ids (`provider/*`) taken out of every group. */
  readonly disabledTargets: ReadonlySet<string>;
  readonly forceFallback: ReadonlySet<string>;
  /** Per group, the smallest cap set. */
  readonly maxTokens: ReadonlyMap<string, number>;
  /** Per group, the smallest of each timeout set. */
  readonly timeouts: ReadonlyMap<string, LeverTimeouts>;
  readonly toolsDisabled: ReadonlySet<string>;
}

export interface LeverCacheOptions {
  readonly store: LeverStore;
  readonly refreshIntervalMs: number;
  readonly onRefreshError: (error: unknown) => void;
  readonly now?: () => number;
}

/**
 * The active levers held in memory, so the request path never reads the database. Levers set or cleared
 * elsewhere (another node, the CLI) are picked up within one refresh interval; the node that makes a change
 * calls `refreshNow` so it applies at once. Expiry is checked against the clock, without a database read.
 */
export class LeverCache {
  readonly #options: LeverCacheOptions;
  readonly #now: () => number;
  #levers: readonly Lever[] = [];
  #effects: LeverEffects | undefined;
  #nextExpiry = Number.POSITIVE_INFINITY;
  #timer: NodeJS.Timeout | undefined;
  #refreshing: Promise<void> | undefined;

  constructor(options: LeverCacheOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
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

  /** Reloads the active levers; concurrent calls share one load. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#load().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** A load that starts after this call: sees every change committed before it. */
  async refreshNow(): Promise<void> {
    await this.#refreshing?.catch(() => undefined);
    await this.refresh();
  }

  /** The levers in force; undefined when none is (the common case costs one length check). */
  effects(): LeverEffects | undefined {
    if (this.#levers.length === 0) return undefined;
    if (this.#now() >= this.#nextExpiry) this.#index(this.#levers);
    return this.#effects;
  }

  async #load(): Promise<void> {
    this.#index(await this.#options.store.listActive(this.#now()));
  }

  #index(levers: readonly Lever[]): void {
    const now = this.#now();
    const active = levers.filter((lever) => isLeverActive(lever, now));
    this.#levers = active;
    this.#nextExpiry = Math.min(
      Number.POSITIVE_INFINITY,
      ...active.map((lever) => lever.expiresAt ?? Number.POSITIVE_INFINITY),
    );
    this.#effects = active.length === 0 ? undefined : leverEffects(active);
  }
}

export function leverEffects(levers: readonly Lever[]): LeverEffects {
  const disabledTargets = new Set<string>();
  const forceFallback = new Set<string>();
  const maxTokens = new Map<string, number>();
  const timeouts = new Map<string, LeverTimeouts>();
  const toolsDisabled = new Set<string>();
  for (const { params } of levers) {
    switch (params.kind) {
      case "disable-target":
        disabledTargets.add(params.target);
        break;
      case "force-fallback":
        forceFallback.add(params.group);
        break;
      case "cap-max-tokens":
        maxTokens.set(
          params.group,
          Math.min(maxTokens.get(params.group) ?? params.maxTokens, params.maxTokens),
        );
        break;
      case "timeout": {
        const old = timeouts.get(params.group);
        timeouts.set(params.group, {
          firstTokenMs: smallest(old?.firstTokenMs, params.firstTokenMs),
          totalMs: smallest(old?.totalMs, params.totalMs),
        });
        break;
      }
      case "disable-tools":
        toolsDisabled.add(params.group);
        break;
    }
  }
  return { disabledTargets, forceFallback, maxTokens, timeouts, toolsDisabled };
}

export function smallest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
