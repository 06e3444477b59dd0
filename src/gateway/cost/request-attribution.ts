import type { Caller, IncomingHeaders } from "../gateway-context.js";
import { keyAttribution } from "../key-attribution.js";

/** Whom a request's spend belongs to, as recorded in the request log and counted by budgets. */
export interface RequestAttribution {
  /** The virtual key id, or `master`. */
  readonly keyId: string;
  readonly keyName: string | null;
  readonly team: string | null;
  readonly project: string | null;
  /** `name=value` pairs sorted by name, comma-separated; null when there are none. */
  readonly tags: string | null;
}

export const tagsHeader = "x-switchyard-tags";
const tagPart = /^[A-Za-z0-9_.:-]{1,64}$/;
const maxHeaderTags = 16;
const keyTags = new WeakMap<object, Map<string, string>>();

/**
 * The one place that decides a request's team and project for spend: the key's team and project by name (see
 * `keyAttribution`, which also resolves keys tagged with `team=` / `project=` metadata). Tags are the key's other
 * metadata plus the request's `x-switchyard-tags: feature=search,env=prod` (the key's win on a clash; malformed
 * pairs are ignored).
 */
export function attributionOf(caller: Caller | undefined, headers: IncomingHeaders): RequestAttribution {
  const key = caller?.kind === "virtual-key" ? caller.key : undefined;
  const tenancy = keyAttribution(caller);
  const fromKey = key === undefined ? undefined : keyTagsOf(key.metadata);
  const header = headers[tagsHeader];
  let tags = fromKey;
  if (typeof header === "string" && header !== "") {
    tags = new Map(parseTagsHeader(header));
    for (const [name, value] of fromKey ?? []) tags.set(name, value);
  }
  return {
    keyId: key?.id ?? "master",
    keyName: key?.name ?? null,
    team: tenancy.teamName ?? tenancy.teamId,
    project: tenancy.projectName ?? tenancy.projectId,
    tags: tags === undefined || tags.size === 0 ? null : formatTags(tags),
  };
}

/** `feature=search,env=prod` → pairs; at most 16, each name and value 1–64 of `A-Z a-z 0-9 _ . : -`. */
export function parseTagsHeader(header: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const part of header.split(",")) {
    const separator = part.indexOf("=");
    if (separator < 0) continue;
    const name = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (tagPart.test(name) && tagPart.test(value)) pairs.push([name, value]);
    if (pairs.length === maxHeaderTags) break;
  }
  return pairs;
}

function keyTagsOf(metadata: Readonly<Record<string, string>>): Map<string, string> {
  let tags = keyTags.get(metadata);
  if (tags === undefined) {
    tags = new Map(Object.entries(metadata).filter(([name]) => name !== "team" && name !== "project"));
    keyTags.set(metadata, tags);
  }
  return tags;
}

function formatTags(tags: ReadonlyMap<string, string>): string {
  return [...tags]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join(",");
}
