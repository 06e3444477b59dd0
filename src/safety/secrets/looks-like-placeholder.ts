/**
 * Marker words and template syntax, matched against the lower-cased value. A word counts only when it is
 * written in one case (`your_key`, `EXAMPLE`): random bodies contain mixed-case runs such as `FakE` by chance.
 */
export const placeholderPattern =
  /example|sample|dummy|placeholder|changeme|change_me|redacted|your[_-]|xxxx|\*\*\*|\.\.\.|<[a-z_ -]{1,40}>|\$\{|\{\{|%s|replace[_-]?me|insert[_-]|fake|test[_-]?key/;

/**
 * Past this length a value is a key body (a PEM block, a JWT), where a marker word can occur by chance in
 * random base64; placeholders are short.
 */
const longestPlaceholder = 120;

/**
 * Values that documentation and templates put where a secret would go (`YOUR_API_KEY`, `sk-...`,
 * `${DB_PASSWORD}`, `<token>`, `xxxx…`): reporting them would drown real findings in noise.
 */
export function looksLikePlaceholder(value: string): boolean {
  if (isOneRepeatedCharacter(value)) return true;
  if (value.length > longestPlaceholder) return false;
  const scanner = new RegExp(placeholderPattern.source, "g");
  for (const match of asciiLowerCase(value).matchAll(scanner)) {
    const original = value.slice(match.index, match.index + match[0].length);
    if (original === asciiLowerCase(original) || original === original.toUpperCase()) return true;
  }
  return false;
}

/** Lower-cases A–Z only, so offsets in the result are offsets in the value. */
function asciiLowerCase(value: string): string {
  return value.replace(upperCaseLetterPattern, (letter) => String.fromCharCode(letter.charCodeAt(0) + 32));
}

export const upperCaseLetterPattern = /[A-Z]/g;

function isOneRepeatedCharacter(value: string): boolean {
  for (let index = 1; index < value.length; index += 1) {
    if (value.charCodeAt(index) !== value.charCodeAt(0)) return false;
  }
  return true;
}
