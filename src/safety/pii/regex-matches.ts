/** Every match of a global RegExp with its UTF-16 offsets; the RegExp's own lastIndex is left untouched. */
export function* regexMatches(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  const scanner = new RegExp(
    pattern.source,
    pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`,
  );
  for (let match = scanner.exec(text); match !== null; match = scanner.exec(text)) {
    if (match[0].length === 0) {
      scanner.lastIndex += 1;
    }
    yield match;
  }
}
