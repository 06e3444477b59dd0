import type { ModelPrice, PriceCatalog } from "./model-price.js";

interface TimedPrice {
  readonly fromMs: number;
  readonly priced: PricedModel;
}

export interface PricedModel {
  readonly price: ModelPrice;
  /** The catalog version, or `config` when a configured override priced it. */
  readonly source: string;
}

/**
 * Looks up a model's price: a configured override (by `provider/model`, then by model) wins over the shipped
 * catalog; the catalog matches the exact name, then the name without a date or version suffix, region prefix
 * or `-latest` (`gpt-4o-2024-08-06` → `gpt-4o`, `us.anthropic.claude-sonnet-4-20250514-v1:0` →
 * `anthropic.claude-sonnet-4`). Results are memoised per name; the table is built once per config.
 */
export class PriceBook {
  readonly #catalog: PriceCatalog;
  readonly #overrides: ReadonlyMap<string, ModelPrice>;
  /** Per model name: its dated prices, oldest first, with `effectiveFrom` parsed once (the lookup is per request). */
  readonly #resolved = new Map<string, readonly TimedPrice[] | null>();

  constructor(catalog: PriceCatalog, overrides: Readonly<Record<string, ModelPrice>> = {}) {
    this.#catalog = catalog;
    this.#overrides = new Map(Object.entries(overrides));
  }

  get catalogVersion(): string {
    return this.#catalog.version;
  }

  /** The price in force at `atMs` for `model` served by `provider`; undefined when the model is unpriced. */
  priceFor(provider: string, model: string, atMs: number): PricedModel | undefined {
    if (this.#overrides.size > 0) {
      const override = this.#overrides.get(`${provider}/${model}`) ?? this.#overrides.get(model);
      if (override !== undefined) return { price: override, source: "config" };
    }
    const dated = this.#datedPrices(model);
    if (dated === null) return undefined;
    let current: TimedPrice | undefined;
    for (const entry of dated) {
      if (entry.fromMs <= atMs) current = entry;
    }
    return current === undefined ? undefined : current.priced;
  }

  #datedPrices(model: string): readonly TimedPrice[] | null {
    let found = this.#resolved.get(model);
    if (found !== undefined) return found;
    found = null;
    for (const candidate of catalogNames(model)) {
      const entries = this.#catalog.models[candidate];
      if (entries !== undefined) {
        found = [...entries]
          .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom))
          .map((entry) => ({
            fromMs: Date.parse(`${entry.effectiveFrom}T00:00:00Z`),
            priced: { price: entry, source: this.#catalog.version },
          }));
        break;
      }
    }
    if (this.#resolved.size >= 1000) this.#resolved.clear();
    this.#resolved.set(model, found);
    return found;
  }
}

const versionSuffix = /-v\d+(:\d+)?$/;
const dateSuffix = /-(\d{4}-\d{2}-\d{2}|\d{8})$/;
const regionPrefix = /^(us|eu|apac|global)\./;

/** Names to try in the catalog, most specific first. */
export function catalogNames(model: string): string[] {
  const names = [model];
  let name = model.replace(regionPrefix, "");
  names.push(name);
  name = name.replace(versionSuffix, "");
  names.push(name);
  name = name.replace(dateSuffix, "").replace(/-latest$/, "");
  names.push(name);
  return [...new Set(names)];
}
