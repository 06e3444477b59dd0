/** The value without any trailing characters from `characters` (e.g. sentence punctuation after a URL). */
export function trimTrailing(value: string, characters: string): string {
  let end = value.length;
  while (end > 0 && characters.includes(value.charAt(end - 1))) {
    end -= 1;
  }
  return value.slice(0, end);
}
