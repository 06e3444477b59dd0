/** Counts the tokens of one text. */
export type TokenCounter = (text: string) => number;

/**
 * The o200k tokenizer, loaded on demand: its tables take seconds to load on a busy machine, so only a
 * gateway with limit rules pays for them, not every CLI command.
 */
export async function loadTokenCounter(): Promise<TokenCounter> {
  const { encode } = await import("gpt-tokenizer");
  // User text may contain "<|endoftext|>" and the like; count it as plain text instead of throwing.
  const plainText = { disallowedSpecial: new Set<string>() };
  return (text) => (text === "" ? 0 : encode(text, plainText).length);
}
