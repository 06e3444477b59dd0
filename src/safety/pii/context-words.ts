const contextWordPattern = /[\p{L}\p{N}]+/gu;

/** How far, in UTF-16 units, context words are looked for before and after a match. */
const defaultWindow = 48;

function wordsIn(fragment: string): string[] {
  return fragment.toLowerCase().match(contextWordPattern) ?? [];
}

/**
 * Whether one of `words` (lower case, single words) appears near `[start, end)`: within `before` units
 * before it or `after` units after it. Context raises confidence the way Presidio's context enhancer does.
 */
export function hasContextWord(
  text: string,
  start: number,
  end: number,
  words: ReadonlySet<string>,
  window: { readonly before?: number; readonly after?: number } = {},
): boolean {
  const before = window.before ?? defaultWindow;
  const after = window.after ?? defaultWindow / 2;
  const preceding = wordsIn(text.slice(Math.max(0, start - before), start));
  const following = wordsIn(text.slice(end, end + after));
  return preceding.some((word) => words.has(word)) || following.some((word) => words.has(word));
}

/** The score with the context boost applied, capped at 1. */
export function boostedScore(baseScore: number, hasContext: boolean, boost = 0.35): number {
  return hasContext ? Math.min(1, baseScore + boost) : baseScore;
}

export const contextWordPatterns: readonly RegExp[] = [contextWordPattern];
