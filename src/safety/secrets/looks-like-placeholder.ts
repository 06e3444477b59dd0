export const placeholderPattern =
  /example|sample|dummy|placeholder|changeme|change_me|redacted|your[_-]?|xxxx|\*\*\*|\.\.\.|<[^>]*>|\$\{|\{\{|%s|replace[_-]?me|insert[_-]?|fake|test[_-]?key/i;

/**
 * Past this length a value is a key body (a PEM block, a JWT), where a marker word can occur by chance in
 * random base64; placeholders are short.
 */
const longestPlaceholder = 120;

export const repeatedCharacterPattern = /^(.)\1*$/;

/**
 * Values that documentation and templates put where a secret would go (`YOUR_API_KEY`, `sk-...`,
 * `${DB_PASSWORD}`, `<token>`, `xxxx…`): reporting them would drown real findings in noise.
 */
export function looksLikePlaceholder(value: string): boolean {
  if (repeatedCharacterPattern.test(value)) return true;
  return value.length <= longestPlaceholder && placeholderPattern.test(value);
}
