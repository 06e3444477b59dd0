import { isRecord } from "../../core/json-value.js";

export interface DroppedParams {
  /** The body to send: unchanged text when nothing was dropped. */
  readonly body: string;
  readonly dropped: readonly string[];
}

/**
 * Removes top-level request fields a server is known to reject with a 400 (e.g. Groq: `logprobs`). The body is
 * parsed only when one of the names appears in it as a JSON key, so most requests pass untouched.
 */
export function dropUnsupportedParams(body: string, params: readonly string[]): DroppedParams {
  if (!params.some((param) => body.includes(`"${param}"`))) return { body, dropped: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { body, dropped: [] };
  }
  if (!isRecord(parsed)) return { body, dropped: [] };
  const dropped = params.filter((param) => param in parsed);
  if (dropped.length === 0) return { body, dropped };
  const kept = Object.fromEntries(Object.entries(parsed).filter(([key]) => !dropped.includes(key)));
  return { body: JSON.stringify(kept), dropped };
}
