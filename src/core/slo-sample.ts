/** What an SLO needs to know about one finished request; no ids, no bodies. */
export interface SloSample {
  readonly operation: string;
  /** The model group that served it; empty when no route was resolved (e.g. failed authentication). */
  readonly modelGroup: string;
  /** The calling virtual key's `team` metadata, when it has one. */
  readonly team: string | undefined;
  /** The status recorded in the request log (499 for a client that went away). */
  readonly status: number;
  readonly latencyMs: number;
  /** Streams only: arrival to first streamed event; null otherwise. */
  readonly ttftMs: number | null;
}

/** Told of every finished request; must return at once (no I/O), as it runs on the request path. */
export interface SloRecorder {
  record(sample: SloSample): void;
}
