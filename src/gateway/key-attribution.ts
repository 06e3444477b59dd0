import { type KeyAttribution, noAttribution } from "../core/key-attribution.js";
import type { Caller } from "./gateway-context.js";

/**
 * The team, project and user a request's traffic counts against: what limits, budgets and reports key on.
 * Resolved when the key cache loads the key (never per request); all null for the master key and for
 * requests not yet authenticated. Teams and projects come from the real entities; keys created with only
 * `team=` / `project=` metadata tags resolve through those names (see `TenancyDirectory.attribute`).
 */
export function keyAttribution(caller: Caller | undefined): KeyAttribution {
  return caller?.kind === "virtual-key" ? caller.attribution : noAttribution;
}
