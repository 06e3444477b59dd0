import { readFileSync } from "node:fs";
import wordListPath from "word-list";

/**
 * About 275,000 lower-case English words from the word-list package (MIT,
 * https://github.com/sindresorhus/word-list). Used to tell a capitalised ordinary word ("Personal Info",
 * "Mission Statement") from a name. It holds some names that are also words ("john", "paris"), so
 * recognizers check the name gazetteers first.
 */
let cached: ReadonlySet<string> | undefined;

export function englishDictionary(): ReadonlySet<string> {
  cached ??= new Set(readFileSync(wordListPath, "utf8").split("\n"));
  return cached;
}
