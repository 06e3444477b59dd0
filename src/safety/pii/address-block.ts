import type { WordToken } from "./word-tokens.js";

const blockPunctuation = new Set([",", "(", ")", "-", ".", ">", "/", "?", "|"]);

/**
 * The town, region, postcode and country lines or comma-separated fields after a street ("\n Riisa\n
 * Estonia 62488", ", Borgarnes"): short runs of capitalised words with at most one number and no label
 * (":"), phone number or e-mail. Returns the last token index of the block and the word runs that look
 * like town names.
 */
export function blockContinuation(
  text: string,
  tokens: readonly WordToken[],
  last: number,
): { last: number; townRuns: Array<readonly [number, number]> } {
  let blockLast = last;
  const townRuns: Array<readonly [number, number]> = [];
  let cursor = last + 1;
  for (let line = 0; line < 5; line += 1) {
    let numbers = 0;
    let words = 0;
    let end = cursor;
    let runStart = -1;
    const runs: Array<readonly [number, number]> = [];
    while (end < tokens.length) {
      const token = tokens[end];
      if (token === undefined || (end > cursor && token.startsLine)) {
        break;
      }
      if (token.kind === "number") {
        numbers += 1;
      } else if (token.kind === "word" && (token.capitalised || token.text.length <= 3)) {
        words += 1;
        if (runStart === -1) {
          runStart = end;
        }
      } else if (!(token.kind === "symbol" && blockPunctuation.has(token.text))) {
        return { last: blockLast, townRuns };
      }
      if (token.kind !== "word" && runStart !== -1) {
        runs.push([runStart, end - 1]);
        runStart = -1;
      }
      end += 1;
    }
    if (runStart !== -1) {
      runs.push([runStart, end - 1]);
    }
    if (end === cursor || numbers > 1 || words > 6 || (words === 0 && numbers === 0)) {
      break;
    }
    blockLast = end - 1;
    townRuns.push(...runs);
    cursor = end;
  }
  const gapBefore = text.slice(tokens[last]?.end ?? 0, tokens[last + 1]?.start ?? 0);
  if (blockLast > last && gapBefore.split("\n").length > 3) {
    return { last, townRuns: [] };
  }
  return { last: blockLast, townRuns };
}
