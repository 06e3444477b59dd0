import type { PolicyFinding } from "../../safety/policy/evaluate-policies.js";
import { IncrementalScanner, type ScanFinding } from "../../safety/policy/incremental-scanner.js";
import { StreamingRestorer } from "../../safety/policy/placeholder-restorer.js";
import { policyBlockError, type RequestPolicy, redactionMarker } from "./request-policy.js";

/** Bounds of output scanning: context kept from released text, and text kept back before release. */
export const outputLookBackChars = 256;
export const outputHoldBackChars = 64;

interface OutputFinding extends ScanFinding {
  readonly finding: PolicyFinding;
}

/**
 * One streamed answer text (an OpenAI choice's content, an Anthropic text block) under the output policies:
 * scanned with bounded look-back, released with a bounded hold-back, redactions applied and masked values
 * restored. A block throws the policy's `GatewayError` before any of the blocked value is released.
 */
export class GuardedOutputText {
  readonly #policy: RequestPolicy;
  readonly #scanner: IncrementalScanner<OutputFinding> | undefined;
  readonly #restorer: StreamingRestorer;

  constructor(policy: RequestPolicy) {
    this.#policy = policy;
    this.#restorer = new StreamingRestorer(policy.vault);
    this.#scanner =
      policy.byStage.output.length === 0
        ? undefined
        : new IncrementalScanner<OutputFinding>({
            lookBackChars: outputLookBackChars,
            holdBackChars: outputHoldBackChars,
            scan: (window) =>
              policy.findings(window, "output").map((finding) => ({
                start: finding.start,
                end: finding.end,
                key: `${finding.policy}:${finding.type}`,
                replacement:
                  finding.action === "redact" && !finding.dryRun ? redactionMarker(finding.type) : undefined,
                finding,
              })),
          });
  }

  /** Takes the next piece; returns what may be released now (possibly empty). */
  push(piece: string): string {
    return this.#step(piece, false);
  }

  /** At the end of the text: scans and releases everything held. */
  end(): string {
    return this.#step("", true);
  }

  #step(piece: string, final: boolean): string {
    let text = piece;
    if (this.#scanner !== undefined) {
      const step = final ? this.#scanner.end() : this.#scanner.push(piece);
      this.#judge(step.findings);
      text = step.text;
    }
    const restored = this.#restorer.push(text);
    return final ? restored + this.#restorer.end() : restored;
  }

  #judge(findings: readonly OutputFinding[]): void {
    if (findings.length === 0) return;
    this.#policy.record(findings.map((item) => item.finding));
    const block = findings.find((item) => item.finding.action === "block" && !item.finding.dryRun);
    if (block !== undefined) throw policyBlockError(block.finding, "");
  }
}
