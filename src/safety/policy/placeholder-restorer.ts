import { type MaskVault, maxPlaceholderLength, placeholderOpen, placeholderPattern } from "./mask-vault.js";

/** How a restored value is written: as plain text, or escaped for the inside of a JSON string (tool arguments). */
export type RestoreEncoding = "text" | "json-string";

function encode(value: string, encoding: RestoreEncoding): string {
  return encoding === "text" ? value : JSON.stringify(value).slice(1, -1);
}

/** Replaces every placeholder the vault issued with its original value; unknown placeholders stay as they are. */
export function restorePlaceholders(
  text: string,
  vault: MaskVault,
  encoding: RestoreEncoding = "text",
): string {
  if (!text.includes(placeholderOpen)) return text;
  return text.replace(placeholderPattern, (placeholder) => {
    const original = vault.original(placeholder);
    return original === undefined ? placeholder : encode(original, encoding);
  });
}

/** Where a trailing, possibly incomplete placeholder begins, or -1 when the text cannot end inside one. */
function possiblePlaceholderStart(text: string): number {
  const open = text.lastIndexOf(placeholderOpen);
  if (open === -1 || text.length - open >= maxPlaceholderLength) return -1;
  for (let index = open + 1; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    const isBodyCharacter = (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
    if (!isBodyCharacter) return -1;
  }
  return open;
}

/**
 * Restores placeholders in text that arrives in arbitrary pieces (stream deltas). It releases everything except
 * a tail that could still become a placeholder — at most `maxPlaceholderLength - 1` characters — so output is
 * never released with half a placeholder, and text that cannot be one is never delayed.
 */
export class StreamingRestorer {
  readonly #vault: MaskVault;
  readonly #encoding: RestoreEncoding;
  #held = "";

  constructor(vault: MaskVault, encoding: RestoreEncoding = "text") {
    this.#vault = vault;
    this.#encoding = encoding;
  }

  /** Takes the next piece; returns the text that may be released now (possibly empty). */
  push(piece: string): string {
    const text = this.#held + piece;
    const holdFrom = possiblePlaceholderStart(text);
    const releasable = holdFrom === -1 ? text : text.slice(0, holdFrom);
    this.#held = holdFrom === -1 ? "" : text.slice(holdFrom);
    return restorePlaceholders(releasable, this.#vault, this.#encoding);
  }

  /** At the end of the stream: whatever is held, as it is (it never became a placeholder). */
  end(): string {
    const rest = this.#held;
    this.#held = "";
    return rest;
  }

  get holding(): boolean {
    return this.#held.length > 0;
  }
}
