/** Prices of one model, in USD per million tokens (per request / per image: USD each). */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  /** Cached prompt tokens read; default: the input price. */
  readonly cachedRead?: number | undefined;
  /** Prompt tokens written to the cache; default: the input price. */
  readonly cacheWrite?: number | undefined;
  /** Reasoning tokens (part of the output); default: the output price. */
  readonly reasoning?: number | undefined;
  /** A fixed charge per request (e.g. search-augmented models). */
  readonly perRequest?: number | undefined;
  /** A charge per generated image. */
  readonly perImage?: number | undefined;
}

/** A price that applies from `effectiveFrom` (ISO date, UTC midnight) until the next entry's date. */
export interface DatedModelPrice extends ModelPrice {
  readonly effectiveFrom: string;
}

export interface PriceCatalog {
  /** Changes whenever a price changes; recorded with every priced request. */
  readonly version: string;
  readonly models: Readonly<Record<string, readonly DatedModelPrice[]>>;
}
