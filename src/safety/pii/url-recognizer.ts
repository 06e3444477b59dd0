import { parse } from "tldts";
import { boostedScore, hasContextWord } from "./context-words.js";
import type { PiiCandidate, PiiRecognizer } from "./pii-recognizer.js";
import { regexMatches } from "./regex-matches.js";
import { trimTrailing } from "./trim-trailing.js";

/** A scheme and everything up to white space or a quote or bracket. */
const urlPattern = /(?<![\p{L}\p{N}])(?:https?|ftp|sftp|wss?):\/\/[^\s<>"'`()[\]{}]+/giu;

/** Dot-separated labels ending in letters, with no "@" before (that is an e-mail) and no further label after. */
const domainPattern =
  /(?<![\p{L}\p{N}@._-])(?:[\p{L}\p{N}-]{1,63}\.){1,8}\p{L}{2,24}(?![\p{L}\p{N}@_-]|\.[\p{L}\p{N}])/gu;

const sentencePunctuation = ".,;:!?'\"";

const urlContext = new Set([
  "website",
  "site",
  "url",
  "link",
  "visit",
  "domain",
  "web",
  "page",
  "homepage",
  "www",
]);

/** File extensions that are also country-code top-level domains ("notes.py", "index.sh"): not reported bare. */
const fileLikeSuffixes = new Set([
  "py",
  "sh",
  "md",
  "pl",
  "rs",
  "ts",
  "js",
  "cc",
  "io",
  "ai",
  "am",
  "so",
  "mk",
]);

export function createUrlRecognizer(): PiiRecognizer {
  return {
    types: ["URL", "DOMAIN_NAME"],
    patterns: [urlPattern, domainPattern],
    recognize(text: string): PiiCandidate[] {
      const candidates: PiiCandidate[] = [];
      const covered: Array<readonly [number, number]> = [];
      for (const match of regexMatches(urlPattern, text)) {
        const value = trimTrailing(match[0], sentencePunctuation);
        const start = match.index;
        const end = start + value.length;
        const host = parse(value);
        if (host.hostname === null) {
          continue;
        }
        covered.push([start, end]);
        candidates.push({
          type: "URL",
          start,
          end,
          score: boostedScore(0.8, hasContextWord(text, start, end, urlContext), 0.2),
        });
      }
      for (const match of regexMatches(domainPattern, text)) {
        const start = match.index;
        const end = start + match[0].length;
        if (covered.some(([from, to]) => start < to && from < end)) {
          continue;
        }
        const parsed = parse(match[0]);
        if (parsed.domain === null || parsed.isIcann !== true || parsed.publicSuffix === null) {
          continue;
        }
        const bareFileName =
          !match[0].toLowerCase().startsWith("www.") && fileLikeSuffixes.has(parsed.publicSuffix);
        const base = bareFileName ? 0.2 : match[0].toLowerCase().startsWith("www.") ? 0.75 : 0.55;
        candidates.push({
          type: "DOMAIN_NAME",
          start,
          end,
          score: boostedScore(base, hasContextWord(text, start, end, urlContext), 0.3),
        });
      }
      return candidates;
    },
  };
}
