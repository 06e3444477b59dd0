const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** A copy of a JSON value with every string (not keys) replaced by what `visit` returns. */
export function rewriteStrings(value: unknown, visit: (text: string) => string): unknown {
  if (typeof value === "string") return visit(value);
  if (Array.isArray(value)) return value.map((item) => rewriteStrings(item, visit));
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rewriteStrings(item, visit)]));
  return value;
}

/**
 * Rewrites each string inside a JSON text, so edits cannot break its syntax; text that is not JSON as a whole.
 * When no string changes, the text comes back exactly as it was (not re-serialised).
 */
export function rewriteJsonStrings(text: string, visit: (text: string) => string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return visit(text);
  }
  let changed = false;
  const rewritten = rewriteStrings(parsed, (value) => {
    const result = visit(value);
    if (result !== value) changed = true;
    return result;
  });
  return changed ? JSON.stringify(rewritten) : text;
}
