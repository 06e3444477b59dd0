import { applySpans, mergeSpans, type Span } from "./apply-spans.js";

/** What a scan reports: a span of the scanned text, whether it must be replaced, and a key for reporting once. */
export interface ScanFinding extends Span {
  /** Identifies the finding among others at the same start (e.g. policy and type). */
  readonly key: string;
  /** Replace the span's text with `replacement` before it is released. */
  readonly replacement: string | undefined;
}

export interface IncrementalScannerOptions<F extends ScanFinding> {
  /** Scans one window of text; offsets are relative to the window. */
  readonly scan: (window: string) => F[];
  /** Released text kept as context for the next scan, so a finding split across pieces is still seen. */
  readonly lookBackChars: number;
  /** Unreleased tail kept back so a value still arriving can be replaced before any of it is released. */
  readonly holdBackChars: number;
}

export interface ScanStep<F extends ScanFinding> {
  /** Text that may be released now, replacements applied. */
  readonly text: string;
  /** Findings not reported before, with offsets from the start of the stream. */
  readonly findings: F[];
}

/**
 * Scans text that arrives in pieces with bounded memory and work: each scan covers at most `lookBackChars` of
 * released text plus the unreleased text. Unreleased text is kept back by `holdBackChars`, and further back when
 * a finding to replace crosses the release point, up to `lookBackChars + holdBackChars` unreleased characters.
 */
export class IncrementalScanner<F extends ScanFinding> {
  readonly #options: IncrementalScannerOptions<F>;
  readonly #reported = new Set<string>();
  /** Released text kept for context; `#released` is its end offset in the stream. */
  #context = "";
  #released = 0;
  #pending = "";

  constructor(options: IncrementalScannerOptions<F>) {
    this.#options = options;
  }

  push(piece: string): ScanStep<F> {
    this.#pending += piece;
    return this.#step(false);
  }

  /** At the end of the stream: scans and releases everything left. */
  end(): ScanStep<F> {
    return this.#step(true);
  }

  #step(final: boolean): ScanStep<F> {
    const { scan, lookBackChars, holdBackChars } = this.#options;
    const window = this.#context + this.#pending;
    const windowStart = this.#released - this.#context.length;
    const found = scan(window).map((finding) => ({
      ...finding,
      start: finding.start + windowStart,
      end: finding.end + windowStart,
    }));
    const live = found.filter((finding) => finding.end > this.#released);
    const fresh: F[] = [];
    for (const finding of live) {
      const id = `${finding.start}:${finding.key}`;
      if (this.#reported.has(id)) continue;
      this.#reported.add(id);
      fresh.push(finding);
    }
    const pendingEnd = this.#released + this.#pending.length;
    let releaseTo = final ? pendingEnd : Math.max(this.#released, pendingEnd - holdBackChars);
    const replaced = live.filter((finding) => finding.replacement !== undefined);
    if (!final) {
      const longest = lookBackChars + holdBackChars;
      for (const finding of replaced) {
        if (finding.start < releaseTo && finding.end > releaseTo)
          releaseTo = Math.max(this.#released, finding.start);
      }
      releaseTo = Math.max(releaseTo, pendingEnd - longest);
    }
    const releasedCount = releaseTo - this.#released;
    const releasing = this.#pending.slice(0, releasedCount);
    const spans = mergeSpans(
      replaced
        .map((finding) => ({
          ...finding,
          start: Math.max(finding.start, this.#released) - this.#released,
          end: Math.min(finding.end, releaseTo) - this.#released,
        }))
        .filter((finding) => finding.end > finding.start),
      (kept) => kept,
    );
    const text = applySpans(releasing, spans, (finding) => finding.replacement ?? "");
    this.#pending = this.#pending.slice(releasedCount);
    this.#context = (this.#context + releasing).slice(-lookBackChars);
    this.#released = releaseTo;
    return { text, findings: fresh };
  }
}
