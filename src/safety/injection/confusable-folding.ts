/**
 * Folds look-alike letters from other scripts to the Latin letter they imitate, so that "іgnоrе" written with
 * Cyrillic і, о and е matches "ignore". The table is a hand-picked subset of the Unicode confusables data
 * (UTS #39, confusables.txt): the Cyrillic, Greek, Armenian and Latin-extension letters that render like a
 * lowercase ASCII letter in common fonts. NFKC runs before this and already folds full-width, mathematical,
 * circled and small-capital compatibility forms, so they are not listed here. Input is lowercase.
 */
const confusableGroups: ReadonlyArray<readonly [latin: string, lookAlikes: string]> = [
  ["a", "аɑα⍺"],
  ["b", "ЬƅБ"],
  ["c", "сϲⅽᴄ"],
  ["d", "ԁⅾ"],
  ["e", "еєҽεɛ℮"],
  ["g", "ɡցǥ"],
  ["h", "һнհ"],
  ["i", "іιӏıɩ¡"],
  ["j", "јϳ"],
  ["k", "кκ"],
  ["l", "ⅼǀ"],
  ["m", "мⅿ"],
  ["n", "пηոռ"],
  ["o", "оοσօ〇ჿ"],
  ["p", "рρ"],
  ["q", "ԛզ"],
  ["r", "гᴦ"],
  ["s", "ѕꜱ"],
  ["t", "тτ"],
  ["u", "υսμ"],
  ["v", "νѵⅴ"],
  ["w", "ԝѡω"],
  ["x", "хχⅹ"],
  ["y", "уγүʏ"],
  ["z", "ᴢ"],
];

export const confusableToLatin: ReadonlyMap<string, string> = new Map(
  confusableGroups.flatMap(([latin, lookAlikes]) => [...lookAlikes].map((lookAlike) => [lookAlike, latin])),
);

/** Replaces each listed look-alike with its Latin letter; every other character is kept. */
export function foldConfusables(lowercaseText: string): string {
  let folded = "";
  for (const character of lowercaseText) {
    folded += confusableToLatin.get(character) ?? character;
  }
  return folded;
}
