/** A sentence: `[start, end)` in the text. */
export type Span = readonly [number, number];

/**
 * Splits at line breaks and at `.`, `!` or `?` followed by whitespace or the end, in one pass. Evidence is
 * combined within a sentence only, so cues far apart in a long document do not add up.
 */
export function sentenceSpans(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  for (let index = 0; index < text.length; index += 1) {
    const character = text.charAt(index);
    const next = text.charAt(index + 1);
    const ends =
      character === "\n" || (".!?".includes(character) && (next === "" || " \t\r\n\f\v".includes(next)));
    if (ends) {
      if (index + 1 > start) spans.push([start, index + 1]);
      start = index + 1;
    }
  }
  if (start < text.length) spans.push([start, text.length]);
  return spans;
}

/** The index of the span containing `offset` (spans sorted and contiguous), by binary search. */
export function spanIndexAt(spans: readonly Span[], offset: number): number {
  let low = 0;
  let high = spans.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    const span = spans[middle];
    if (span !== undefined && span[0] <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}
