type Headers = Readonly<Record<string, string>>;

/**
 * One new headers object from several, later sources winning; undefined sources are skipped. Copied key by key:
 * on the request path an object spread of a headers object cost ~1.5 µs (V8's CPU profile of `npm run bench`),
 * this loop ~0.1 µs.
 */
export function mergeHeaders(...sources: readonly (Headers | undefined)[]): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const source of sources) {
    if (source === undefined) continue;
    for (const name in source) merged[name] = source[name] as string;
  }
  return merged;
}

/** Whether a headers object names any header. */
export function hasHeaders(headers: Headers): boolean {
  for (const _ in headers) return true;
  return false;
}
