import { decodeEmbeddedPayloads, rot13 } from "./decode-embedded-payloads.js";
import {
  type InjectionPattern,
  type InjectionPatternFamily,
  injectionPatterns,
} from "./injection-patterns.js";
import { type NormalizedText, normalizeText } from "./normalize-text.js";

/** Where in the input a heuristic matched: the text itself or a payload decoded from it. */
export type HeuristicSource = "text" | "base64" | "hex" | "rot13";

export interface FiredHeuristic {
  readonly id: string;
  readonly family: InjectionPatternFamily;
  readonly weight: number;
  readonly source: HeuristicSource;
  /** The normalised text that matched, cut to 80 characters, for explanations. */
  readonly excerpt: string;
}

const excerptLength = 80;

function matchView(
  view: NormalizedText,
  source: HeuristicSource,
  patterns: readonly InjectionPattern[],
): FiredHeuristic[] {
  const fired: FiredHeuristic[] = [];
  for (const candidate of patterns) {
    const match = candidate.pattern.exec(candidate.view === "words" ? view.words : view.compact);
    if (match !== null) {
      fired.push({
        id: candidate.id,
        family: candidate.family,
        weight: candidate.weight,
        source,
        excerpt: match[0].slice(0, excerptLength),
      });
    }
  }
  return fired;
}

/**
 * Runs every pattern over the normalised text, over each decoded base64/hex payload and over the ROT13 reading
 * of the text. A pattern is reported once, from the first source where it matched.
 */
export function matchInjectionHeuristics(text: string, normalized: NormalizedText): FiredHeuristic[] {
  const fired = matchView(normalized, "text", injectionPatterns);
  const sources: Array<{ source: HeuristicSource; view: NormalizedText }> = [
    ...decodeEmbeddedPayloads(text).map((payload) => ({
      source: payload.encoding,
      view: normalizeText(payload.text),
    })),
    { source: "rot13", view: { words: rot13(normalized.words), compact: rot13(normalized.compact) } },
  ];
  for (const { source, view } of sources) {
    const seen = new Set(fired.map((heuristic) => heuristic.id));
    fired.push(
      ...matchView(
        view,
        source,
        injectionPatterns.filter((candidate) => !seen.has(candidate.id)),
      ),
    );
  }
  return fired;
}

/** Noisy-or of the fired weights: each pattern is independent evidence. */
export function combineHeuristicWeights(fired: readonly FiredHeuristic[]): number {
  return 1 - fired.reduce((unexplained, heuristic) => unexplained * (1 - heuristic.weight), 1);
}
