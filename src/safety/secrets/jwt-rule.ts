import type { SecretCandidate, SecretRule } from "./secret-rule.js";
import { matchesOf } from "./secret-rule.js";

/** Header, payload and signature in base64url; the header of a JSON object starts `{"` = `eyJ`. */
export const jwtPattern =
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,4096}\.[A-Za-z0-9_-]{2,65536}\.([A-Za-z0-9_-]{0,4096})(?![A-Za-z0-9_.-])/g;

export const jwtRule: SecretRule = {
  types: ["JWT"],
  find(text: string): SecretCandidate[] {
    const candidates: SecretCandidate[] = [];
    for (const match of matchesOf(jwtPattern, text)) {
      const token = match[0];
      const signature = match[1] ?? "";
      const [header = "", payload = ""] = token.split(".");
      const algorithm = readAlgorithm(header);
      if (algorithm === undefined || decodeJsonObject(payload) === undefined) continue;
      const unsigned = algorithm.toLowerCase() === "none";
      if (signature === "" && !unsigned) continue;
      candidates.push({
        type: "JWT",
        start: match.index,
        end: match.index + token.length,
        score: unsigned ? 0.7 : 0.9,
      });
    }
    return candidates;
  },
};

/** The `alg` of a JWT header, or undefined when the segment is not a JSON object with a string `alg`. */
export function readAlgorithm(headerSegment: string): string | undefined {
  const header = decodeJsonObject(headerSegment);
  const algorithm = header?.alg;
  return typeof algorithm === "string" ? algorithm : undefined;
}

function decodeJsonObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
