import type { Lever } from "../lever.js";

export interface ClearedLever {
  readonly lever: Lever;
  readonly clearedBy: string;
  readonly clearReason: string;
  readonly clearedAt: number;
}

/** Incident levers, shared by every node through the database. */
export interface LeverStore {
  insert(lever: Lever): Promise<void>;
  /** Levers not cleared and not expired at `now`, oldest first. */
  listActive(now: number): Promise<Lever[]>;
  /** Marks a lever cleared; returns it, or undefined when it is unknown or already cleared. */
  clear(
    id: string,
    clearedBy: string,
    clearReason: string,
    clearedAt: number,
  ): Promise<ClearedLever | undefined>;
}
