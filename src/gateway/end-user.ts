import type { IncomingHeaders } from "./gateway-context.js";

/** The header a backend sets to name its end user; wins over the body's `user`. */
export const endUserHeader = "x-switchyard-user";
const maxEndUserLength = 256;

/**
 * The end user a request is made for: `x-switchyard-user`, else the OpenAI `user` field. Both are the caller's
 * claims (the key vouches for the caller, not the user), good for per-user limits and reports within a key.
 * Null when absent, empty or longer than 256 characters.
 */
export function endUserOf(headers: IncomingHeaders, body: Readonly<Record<string, unknown>>): string | null {
  const header = headers[endUserHeader];
  const claimed = typeof header === "string" ? header : body.user;
  if (typeof claimed !== "string") return null;
  const trimmed = claimed.trim();
  return trimmed === "" || trimmed.length > maxEndUserLength ? null : trimmed;
}
