import { looksLikePlaceholder } from "./looks-like-placeholder.js";
import type { SecretCandidate, SecretRule } from "./secret-rule.js";
import { matchesOf } from "./secret-rule.js";

/**
 * A connection URL whose user info carries a password (group 1). The user part excludes `:`, so the split
 * between user and password is unambiguous.
 */
export const databaseUrlPattern =
  /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|clickhouse|cockroachdb|couchdb|neo4j(?:\+s)?):\/\/[^\s:@/?#"'`<>]{0,256}:([^\s@/?#"'`<>]{1,256})@[A-Za-z0-9.-]{1,253}(?::\d{1,5})?(?:\/[^\s"'`<>]{0,512})?/g;

/** Passwords that only ever appear in documentation and templates. */
const conventionalPasswords = new Set([
  "password",
  "pass",
  "passwd",
  "pwd",
  "pw",
  "secret",
  "changeme",
  "x",
  "guest",
  "user",
  "username",
  "test",
]);

export const databaseUrlRule: SecretRule = {
  types: ["DATABASE_URL"],
  find(text: string): SecretCandidate[] {
    const candidates: SecretCandidate[] = [];
    for (const match of matchesOf(databaseUrlPattern, text)) {
      const password = decodeOrKeep(match[1] ?? "");
      if (conventionalPasswords.has(password.toLowerCase()) || isWordPassword(password)) continue;
      if (looksLikePlaceholder(password)) continue;
      candidates.push({
        type: "DATABASE_URL",
        start: match.index,
        end: match.index + match[0].length,
        score: 0.9,
      });
    }
    return candidates;
  },
};

function decodeOrKeep(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** `somepassword`, `MyPassword`, `supersecret`: words standing in for a password in documentation. */
function isWordPassword(password: string): boolean {
  const lower = password.toLowerCase();
  for (const character of lower) if (character < "a" || character > "z") return false;
  return lower.includes("pass") || lower.includes("secret") || lower.includes("pwd");
}
