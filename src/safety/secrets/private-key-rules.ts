import type { SecretCandidate, SecretRule } from "./secret-rule.js";
import { matchesOf } from "./secret-rule.js";
import { shannonEntropy } from "./shannon-entropy.js";

/**
 * A PEM or PGP armoured private key. The body excludes `-`, so a block ends at the first dash run and
 * blocks never nest: matching stays linear. `\` is allowed for keys inside JSON strings (`\n` escapes).
 * Without an END line (a truncated paste) the body alone must be long enough to be key material.
 */
export const privateKeyBlockPattern =
  /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----([A-Za-z0-9+/=:,.()\s\\]{64,65536})(?:-----END ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----)?/g;
/** The JSON key file of a Google Cloud service account carries its private key in this field. */
export const serviceAccountKeyFieldPattern = /"private_key"\s{0,8}:\s{0,8}"$/;
export const serviceAccountContextPattern = /"service_account"|gserviceaccount\.com/;

/** Base64 key material carries about 6 bits per character; prose and filler stay far below 4. */
const keyBodyEntropy = 4;
/** How far a service account's `type` and `client_email` fields may stand from its private key. */
const serviceAccountWindow = 4000;

export const privateKeyRule: SecretRule = {
  types: ["PRIVATE_KEY", "GCP_SERVICE_ACCOUNT_KEY"],
  find(text: string): SecretCandidate[] {
    const candidates: SecretCandidate[] = [];
    for (const match of matchesOf(privateKeyBlockPattern, text)) {
      const [block, beginLabel, body = "", endLabel] = match;
      if (beginLabel === undefined || shannonEntropy(body) < keyBodyEntropy) continue;
      const complete = endLabel !== undefined;
      const start = match.index;
      const end = complete ? start + block.length : withoutTrailingBlanks(text, start, start + block.length);
      const before = text.slice(Math.max(0, start - 40), start);
      const around = text.slice(Math.max(0, start - serviceAccountWindow), end + serviceAccountWindow);
      const isServiceAccount =
        serviceAccountKeyFieldPattern.test(before) && serviceAccountContextPattern.test(around);
      candidates.push({
        type: isServiceAccount ? "GCP_SERVICE_ACCOUNT_KEY" : "PRIVATE_KEY",
        start,
        end,
        score: isServiceAccount ? 0.99 : complete ? 0.97 : 0.8,
      });
    }
    return candidates;
  },
};

/** The end of a truncated block once trailing whitespace and JSON `\n` escapes are dropped. */
function withoutTrailingBlanks(text: string, start: number, end: number): number {
  let trimmed = end;
  while (trimmed > start) {
    const last = text.charAt(trimmed - 1);
    if (last === " " || last === "\t" || last === "\n" || last === "\r") trimmed -= 1;
    else if (last === "n" && text.charAt(trimmed - 2) === "\\") trimmed -= 2;
    else break;
  }
  return trimmed;
}
