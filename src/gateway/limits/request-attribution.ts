import { hash } from "node:crypto";
import type { Caller, IncomingHeaders } from "../gateway-context.js";
import { keyAttribution } from "../key-attribution.js";

export const endUserHeader = "x-switchyard-user";

/** Whom a request is counted against. Every field is safe to store and to use in counter names. */
export interface RequestAttribution {
  /** Virtual key id, or `master`. */
  readonly keyId: string;
  readonly keyName: string | undefined;
  readonly team: string | undefined;
  readonly project: string | undefined;
  /** The public model name asked for. */
  readonly model: string | undefined;
  /** A hash of the end user's id (never the id itself). */
  readonly endUser: string | undefined;
}

/**
 * The one place rate limits read attribution from. Teams and projects are the key's (by name; see
 * `keyAttribution`, which also resolves keys tagged with `team=` / `project=` metadata).
 */
export function attributeRequest(
  caller: Caller | undefined,
  model: string | null,
  headers: IncomingHeaders,
  body: Readonly<Record<string, unknown>>,
): RequestAttribution {
  const key = caller?.kind === "virtual-key" ? caller.key : undefined;
  const tenancy = keyAttribution(caller);
  const endUser = endUserIdOf(headers, body);
  return {
    keyId: key?.id ?? "master",
    keyName: key?.name,
    team: nonEmpty(tenancy.teamName ?? tenancy.teamId ?? undefined),
    project: nonEmpty(tenancy.projectName ?? tenancy.projectId ?? undefined),
    model: model ?? undefined,
    endUser: endUser === undefined ? undefined : hashEndUser(endUser),
  };
}

/** The hashed end user a request names, or null: for the request log and reports. */
export function endUserOf(headers: IncomingHeaders, body: Readonly<Record<string, unknown>>): string | null {
  const endUser = endUserIdOf(headers, body);
  return endUser === undefined ? null : hashEndUser(endUser);
}

/** The header wins over the body's OpenAI `user` field. */
function endUserIdOf(headers: IncomingHeaders, body: Readonly<Record<string, unknown>>): string | undefined {
  const header = headers[endUserHeader];
  if (typeof header === "string" && header !== "") return header;
  return typeof body.user === "string" && body.user !== "" ? body.user : undefined;
}

/** Hashes remembered: an application sends the same few user ids again and again. */
const hashedEndUsers = new Map<string, string>();
const maxHashedEndUsers = 10_000;

/** SHA-256, first 16 hex characters: stable across nodes and restarts, and not the id itself. */
export function hashEndUser(endUser: string): string {
  let hashed = hashedEndUsers.get(endUser);
  if (hashed === undefined) {
    hashed = hash("sha256", endUser, "hex").slice(0, 16);
    if (hashedEndUsers.size >= maxHashedEndUsers) hashedEndUsers.clear();
    hashedEndUsers.set(endUser, hashed);
  }
  return hashed;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
