import { createRequire } from "node:module";
import type nlpModule from "compromise";

/**
 * Word lists from the lexicon of compromise (MIT, https://github.com/spencermountain/compromise), shipped
 * inside the npm package: first and last names, occupations, demonyms, organisations, places, and every other
 * tagged English word. Only the lexicon is used: compromise's tagger is far too slow for the request path
 * (hundreds of milliseconds per kilobyte).
 */
export interface EnglishLexicon {
  readonly firstNames: ReadonlySet<string>;
  readonly lastNames: ReadonlySet<string>;
  /** Well-known people, multi-word ("barack obama"). */
  readonly people: ReadonlySet<string>;
  readonly occupations: ReadonlySet<string>;
  readonly demonyms: ReadonlySet<string>;
  readonly organizations: ReadonlySet<string>;
  readonly places: ReadonlySet<string>;
  /** Words the lexicon knows as something other than a name or a place: "will", "street", "the". */
  readonly commonWords: ReadonlySet<string>;
}

const firstNameTags = new Set(["FirstName", "MaleName", "FemaleName"]);
const placeTags = new Set(["City", "Country", "Place", "Region"]);

let cached: EnglishLexicon | undefined;

/**
 * compromise is loaded on first use, not when this module is imported: loading it builds its whole model, which
 * fills V8's shared maps for object literals with computed keys, and from then on every such literal in the
 * process (Node's own `process.nextTick` makes one per call) gets a new hidden class. `npm run bench` measured
 * that at about a sixth of the gateway's CPU per request (ADR 0016), a price only processes that detect names,
 * places or organisations should pay.
 */
function loadCompromise(): typeof nlpModule {
  return createRequire(import.meta.url)("compromise") as typeof nlpModule;
}

function tagsOf(value: unknown): string[] {
  if (typeof value === "string") {
    return [value];
  }
  return Array.isArray(value) ? value.filter((tag): tag is string => typeof tag === "string") : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** compromise types its model as `object`; the lexicon is at `model.one.lexicon`, word to tag(s). */
function readLexicon(model: object): Record<string, unknown> {
  const one: unknown = "one" in model ? model.one : undefined;
  const lexicon: unknown = isRecord(one) ? one.lexicon : undefined;
  if (!isRecord(lexicon)) {
    throw new Error("compromise's model has no lexicon at model.one.lexicon");
  }
  return lexicon;
}

export function englishLexicon(): EnglishLexicon {
  if (cached !== undefined) {
    return cached;
  }
  const lexicon = readLexicon(loadCompromise().model());
  const firstNames = new Set<string>();
  const lastNames = new Set<string>();
  const people = new Set<string>();
  const occupations = new Set<string>();
  const demonyms = new Set<string>();
  const organizations = new Set<string>();
  const places = new Set<string>();
  const commonWords = new Set<string>();
  for (const [word, value] of Object.entries(lexicon)) {
    const tags = tagsOf(value);
    if (tags.some((tag) => firstNameTags.has(tag))) {
      firstNames.add(word);
    } else if (tags.includes("LastName")) {
      lastNames.add(word);
    } else if (tags.includes("Person")) {
      people.add(word);
    } else if (tags.includes("Demonym")) {
      demonyms.add(word);
    } else if (tags.includes("Organization") || tags.includes("SportsTeam")) {
      organizations.add(word);
    } else if (tags.some((tag) => placeTags.has(tag))) {
      places.add(word);
    } else {
      if (tags.includes("Actor")) {
        occupations.add(word);
      }
      commonWords.add(word);
    }
  }
  cached = { firstNames, lastNames, people, occupations, demonyms, organizations, places, commonWords };
  return cached;
}
