import { readFile } from "node:fs/promises";
import path from "node:path";

interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}

interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface SelfTimeEntry {
  readonly function: string;
  readonly location: string;
  readonly selfMs: number;
  /** Share of the busy (non-idle) samples. */
  readonly share: number;
}

const notBusy = new Set(["(idle)"]);

function shortLocation(url: string, line: number, repoRoot: string): string {
  if (url === "") return "";
  const file = url.startsWith("file://") ? new URL(url).pathname : url;
  const relative = file.startsWith(repoRoot) ? path.relative(repoRoot, file) : file;
  return `${relative}:${line + 1}`;
}

/** Where self time lands by origin: an npm package, a Switchyard layer (`dist/<layer>`), Node, or native. */
function originOf(url: string, functionName: string): string {
  const fromPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (fromPackage?.[1] !== undefined) return fromPackage[1];
  const layer = /\/dist\/([^/]+)\//.exec(url);
  if (layer?.[1] !== undefined) return `switchyard ${layer[1]}/`;
  if (url.startsWith("node:")) return "node (js internals)";
  if (url.startsWith("wasm://")) return "wasm (undici's llhttp parser)";
  if (url === "") return functionName.startsWith("(") ? functionName : `native: ${functionName}`;
  return path.basename(url);
}

export interface ProfileSummary {
  readonly busyMs: number;
  readonly functions: readonly SelfTimeEntry[];
  readonly origins: readonly { readonly origin: string; readonly selfMs: number; readonly share: number }[];
}

/** Top self-time functions and origins of a `.cpuprofile` (as written by `node --cpu-prof`), idle left out. */
export async function summarizeCpuProfile(file: string, repoRoot: string, top = 15): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, { function: string; location: string; us: number }>();
  const originUs = new Map<string, number>();
  let busyUs = 0;
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    const delta = profile.timeDeltas[index] ?? 0;
    if (node === undefined || notBusy.has(node.callFrame.functionName)) return;
    busyUs += delta;
    const { url, functionName, lineNumber } = node.callFrame;
    const location = shortLocation(url, lineNumber, repoRoot);
    const name = functionName || "(anonymous)";
    const key = `${name}@${location}`;
    const entry = selfUs.get(key) ?? { function: name, location, us: 0 };
    entry.us += delta;
    selfUs.set(key, entry);
    const origin = originOf(url, name);
    originUs.set(origin, (originUs.get(origin) ?? 0) + delta);
  });
  const share = (us: number) => (busyUs === 0 ? 0 : us / busyUs);
  return {
    busyMs: busyUs / 1000,
    functions: [...selfUs.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((entry) => ({
        function: entry.function,
        location: entry.location,
        selfMs: entry.us / 1000,
        share: share(entry.us),
      })),
    origins: [...originUs.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([origin, us]) => ({ origin, selfMs: us / 1000, share: share(us) })),
  };
}
