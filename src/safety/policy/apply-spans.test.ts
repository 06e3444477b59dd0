import { describe, expect, it } from "vitest";
import { applySpans, mergeSpans } from "./apply-spans.js";

interface Labelled {
  readonly start: number;
  readonly end: number;
  readonly label: string;
}

const keepFirst = (kept: Labelled) => kept;

describe("mergeSpans", () => {
  it("merges overlapping spans, keeps disjoint and touching ones apart, and drops empty ones", () => {
    const merged = mergeSpans<Labelled>(
      [
        { start: 10, end: 14, label: "c" },
        { start: 0, end: 5, label: "a" },
        { start: 3, end: 8, label: "b" },
        { start: 8, end: 9, label: "d" },
        { start: 12, end: 12, label: "empty" },
      ],
      keepFirst,
    );
    expect(merged).toEqual([
      { start: 0, end: 8, label: "a" },
      { start: 8, end: 9, label: "d" },
      { start: 10, end: 14, label: "c" },
    ]);
  });

  it("lets the pick function choose whose data describes a merged span, and covers contained spans", () => {
    const merged = mergeSpans<Labelled>(
      [
        { start: 0, end: 10, label: "outer" },
        { start: 2, end: 4, label: "inner" },
      ],
      (_kept, other) => other,
    );
    expect(merged).toEqual([{ start: 0, end: 10, label: "inner" }]);
  });
});

describe("applySpans", () => {
  it("replaces each span with what render gives for it", () => {
    const text = "mail ada@x.io or bob@y.io now";
    const spans = [
      { start: 5, end: 13, label: "A" },
      { start: 17, end: 25, label: "B" },
    ];
    expect(applySpans(text, spans, (span, covered) => `<${span.label}:${covered.length}>`)).toBe(
      "mail <A:8> or <B:8> now",
    );
  });

  it("clips spans running past the end and leaves text without spans unchanged", () => {
    expect(applySpans("abc", [{ start: 1, end: 9 }], () => "#")).toBe("a#");
    expect(applySpans("abc", [], () => "#")).toBe("abc");
  });
});
