/** A stretch of text to replace; `end` is exclusive (UTF-16 offsets). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Merges overlapping or touching spans into disjoint ones, in order. Of the spans merged into one, `pick`
 * chooses the one whose data describes the merged span (e.g. the stronger action or the longer match).
 */
export function mergeSpans<T extends Span>(spans: readonly T[], pick: (kept: T, other: T) => T): T[] {
  const sorted = spans
    .filter((span) => span.end > span.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: T[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && span.start < last.end) {
      const chosen = pick(last, span);
      merged[merged.length - 1] = { ...chosen, start: last.start, end: Math.max(last.end, span.end) };
    } else {
      merged.push(span);
    }
  }
  return merged;
}

/** Replaces each of the disjoint, ordered `spans` with what `render` gives for it (and the text it covers). */
export function applySpans<T extends Span>(
  text: string,
  spans: readonly T[],
  render: (span: T, covered: string) => string,
): string {
  if (spans.length === 0) return text;
  let result = "";
  let position = 0;
  for (const span of spans) {
    const start = Math.max(span.start, position);
    const end = Math.min(span.end, text.length);
    if (end <= start) continue;
    result += text.slice(position, start) + render(span, text.slice(start, end));
    position = end;
  }
  return result + text.slice(position);
}
