import { describe, expect, it } from "vitest";
import { IncrementalScanner, type ScanFinding } from "./incremental-scanner.js";

const emailPattern = /[a-z]+@[a-z]+\.[a-z]{2,}/g;

/** A scan that marks emails for replacement and records every window it was given. */
function emailScanner(lookBackChars: number, holdBackChars: number) {
  const windows: string[] = [];
  const scanner = new IncrementalScanner<ScanFinding>({
    lookBackChars,
    holdBackChars,
    scan(window) {
      windows.push(window);
      return [...window.matchAll(emailPattern)].map((match) => ({
        start: match.index,
        end: match.index + match[0].length,
        key: "EMAIL",
        replacement: "[EMAIL]",
      }));
    },
  });
  return { scanner, windows };
}

function run(scanner: IncrementalScanner<ScanFinding>, pieces: readonly string[]) {
  let text = "";
  const findings: ScanFinding[] = [];
  for (const piece of pieces) {
    const step = scanner.push(piece);
    text += step.text;
    findings.push(...step.findings);
  }
  const last = scanner.end();
  return { text: text + last.text, findings: [...findings, ...last.findings] };
}

const source = "write to ada@example.com today, or to bob@mail.org tomorrow";

describe("IncrementalScanner", () => {
  it.each(Array.from({ length: source.length + 1 }, (_, offset) => offset))(
    "replaces every finding and reports it once when split at offset %i",
    (offset) => {
      const { scanner } = emailScanner(64, 32);
      const result = run(scanner, [source.slice(0, offset), source.slice(offset)]);
      expect(result.text).toBe("write to [EMAIL] today, or to [EMAIL] tomorrow");
      expect(result.findings.map((finding) => finding.start)).toEqual([9, 38]);
    },
  );

  it("never releases part of a finding that becomes detectable within holdBackChars, fed a character at a time", () => {
    const { scanner } = emailScanner(64, 20);
    let released = "";
    for (const character of source) {
      released += scanner.push(character).text;
      expect(released).not.toMatch(/[a-z]@|@[a-z]/);
    }
    expect(released + scanner.end().text).toBe("write to [EMAIL] today, or to [EMAIL] tomorrow");
  });

  it("keeps back holdBackChars of unreleased text and releases the rest", () => {
    const { scanner } = emailScanner(16, 4);
    expect(scanner.push("no findings in this text").text).toBe("no findings in this ");
    expect(scanner.end().text).toBe("text");
  });

  it("bounds each scanned window by lookBackChars plus the unreleased text", () => {
    const { scanner, windows } = emailScanner(10, 5);
    for (let index = 0; index < 50; index += 1) scanner.push("abcdefghij");
    expect(Math.max(...windows.map((window) => window.length))).toBeLessThanOrEqual(10 + 5 + 10);
  });

  it("releases text it cannot finish judging once lookBack plus holdBack characters are pending", () => {
    const { scanner } = emailScanner(4, 4);
    let released = "";
    for (let index = 0; index < 10; index += 1) released += scanner.push("aaaa").text;
    expect(released.length).toBeGreaterThanOrEqual(40 - 8);
  });
});
