/**
 * Placeholders look like `⟦EMAIL_ADDRESS_1⟧`. The white square brackets (U+27E6, U+27E7) almost never occur
 * in real text, so a placeholder cannot be confused with what the user wrote; the upper snake case type inside
 * keeps the sentence meaningful to the model, and ASCII letters, digits and `_` are copied verbatim by models
 * far more reliably than random ids. Both brackets are single UTF-16 code units, which keeps prefix checks simple.
 */
export const placeholderOpen = "\u27e6";
export const placeholderClose = "\u27e7";
/** A whole placeholder; its body is the detection type, `_`, and a counter. */
export const placeholderPattern = /\u27e6([A-Z0-9_]{1,60})\u27e7/g;
/** The longest placeholder the vault issues, brackets included: the most a streaming restorer holds back. */
export const maxPlaceholderLength = 62;

/**
 * The masks of one request: each distinct value gets one placeholder, the same across all of the request's
 * messages, numbered per type. It lives in memory for the request's lifetime only and is never logged.
 */
export class MaskVault {
  readonly #byValue = new Map<string, string>();
  readonly #byPlaceholder = new Map<string, string>();
  readonly #countByType = new Map<string, number>();

  /** The placeholder for `value`, issuing a new one the first time the value is seen. */
  mask(type: string, value: string): string {
    const known = this.#byValue.get(value);
    if (known !== undefined) return known;
    const safeType = type.replace(/[^A-Z0-9_]/g, "_").slice(0, 40) || "VALUE";
    const count = (this.#countByType.get(safeType) ?? 0) + 1;
    this.#countByType.set(safeType, count);
    const placeholder = `${placeholderOpen}${safeType}_${count}${placeholderClose}`;
    this.#byValue.set(value, placeholder);
    this.#byPlaceholder.set(placeholder, value);
    return placeholder;
  }

  /** The original value behind a placeholder this vault issued, or undefined. */
  original(placeholder: string): string | undefined {
    return this.#byPlaceholder.get(placeholder);
  }

  get size(): number {
    return this.#byPlaceholder.size;
  }
}
