import type { RouteTable } from "./route-table.js";

export interface RouteLease {
  readonly routes: RouteTable;
  /** Call exactly once, when the request that took the lease is over. */
  release(): void;
}

interface Generation {
  readonly routes: RouteTable;
  users: number;
  drained: (() => void) | undefined;
}

/**
 * Holds the current route table and lets a config reload swap it without dropping requests: each request
 * leases the table it started with, and a replaced table counts as drained once its last lease is released
 * (that is when its adapters may be closed).
 */
export class RouteTableHolder {
  #current: Generation;

  constructor(routes: RouteTable) {
    this.#current = { routes, users: 0, drained: undefined };
  }

  acquire(): RouteLease {
    const generation = this.#current;
    generation.users += 1;
    let released = false;
    return {
      routes: generation.routes,
      release: () => {
        if (released) return;
        released = true;
        generation.users -= 1;
        if (generation.users === 0) generation.drained?.();
      },
    };
  }

  /** Swaps in a new table; resolves when no request uses the old one any more. */
  replace(routes: RouteTable): Promise<void> {
    const previous = this.#current;
    this.#current = { routes, users: 0, drained: undefined };
    return new Promise((resolve) => {
      if (previous.users === 0) resolve();
      else previous.drained = resolve;
    });
  }
}
