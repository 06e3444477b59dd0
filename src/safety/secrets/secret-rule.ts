/** What a rule proposes; the detector resolves overlaps between candidates from different rules. */
export interface SecretCandidate {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly score: number;
}

/**
 * One family of secrets. `find` scans the whole text with the rule's own global RegExps (exported from the
 * rule's file so the ReDoS test can analyse every one of them) and must run in time linear in its length.
 */
export interface SecretRule {
  /** The `type` values this rule can report. */
  readonly types: readonly string[];
  find(text: string): SecretCandidate[];
}

/** Every match of a global RegExp, without sharing `lastIndex` state between callers. */
export function* matchesOf(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  const scanner = new RegExp(
    pattern.source,
    pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`,
  );
  for (let match = scanner.exec(text); match !== null; match = scanner.exec(text)) {
    if (match[0].length === 0) scanner.lastIndex += 1;
    yield match;
  }
}
