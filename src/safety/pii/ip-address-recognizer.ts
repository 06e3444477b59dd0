import { isIPv4, isIPv6 } from "node:net";
import { boostedScore, hasContextWord } from "./context-words.js";
import type { PiiCandidate, PiiRecognizer } from "./pii-recognizer.js";
import { regexMatches } from "./regex-matches.js";

/** Four dot-separated groups of one to three digits, not inside a longer dotted number. */
const ipv4Pattern = /(?<![\p{N}.])\d{1,3}(?:\.\d{1,3}){3}(?![\p{N}]|\.\d)/gu;

/**
 * Colon-separated hex groups (at least two colons), optionally ending in a dotted IPv4 part; node:net decides
 * whether the candidate really is an address.
 */
const ipv6Pattern =
  /(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4})(?![0-9A-Fa-f:])/gu;

const ipContext = new Set([
  "ip",
  "ipv4",
  "ipv6",
  "address",
  "host",
  "server",
  "client",
  "from",
  "login",
  "connected",
]);

export function createIpAddressRecognizer(): PiiRecognizer {
  return {
    types: ["IP_ADDRESS"],
    patterns: [ipv4Pattern, ipv6Pattern],
    recognize(text: string): PiiCandidate[] {
      const candidates: PiiCandidate[] = [];
      const add = (value: string, start: number) => {
        const end = start + value.length;
        const score = boostedScore(0.6, hasContextWord(text, start, end, ipContext), 0.3);
        candidates.push({ type: "IP_ADDRESS", start, end, score });
      };
      for (const match of regexMatches(ipv4Pattern, text)) {
        if (isIPv4(match[0])) add(match[0], match.index);
      }
      for (const match of regexMatches(ipv6Pattern, text)) {
        // "::" alone or a clock time like "10:30:00" is not worth reporting.
        if (isIPv6(match[0]) && match[0].replaceAll(":", "").length >= 2 && !isClockTime(match[0]))
          add(match[0], match.index);
      }
      return candidates;
    },
  };
}

function isClockTime(value: string): boolean {
  const groups = value.split(":");
  return (
    groups.length === 3 && groups.every((group) => group.length === 2 && Number.isInteger(Number(group)))
  );
}
