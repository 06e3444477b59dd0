import { describe, expect, it } from "vitest";
import type { PacedStreamSlice } from "./paced-stream-load.js";
import { percentiles } from "./percentiles.js";
import {
  addedByGateway,
  pacedStreamProblems,
  renderPacedStreams,
  summarizePacedStream,
} from "./stream-report.js";

const slice = (ttft: number[], gaps: number[], failed = 0): PacedStreamSlice => ({
  ok: ttft.length,
  failed,
  durationS: 1,
  ttftMs: Float64Array.from(ttft),
  gapsMs: Float64Array.from(gaps),
});

describe("percentiles", () => {
  it("takes the nearest rank", () => {
    const hundred = Float64Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(percentiles(hundred)).toMatchObject({ p50: 50, p90: 90, p99: 99, max: 100, mean: 50.5 });
    expect(percentiles(Float64Array.from([7]))).toMatchObject({ p50: 7, p99: 7 });
    expect(percentiles(new Float64Array()).p50).toBeNaN();
  });
});

describe("paced stream summaries", () => {
  const direct = summarizePacedStream("direct", [slice([1, 1], [5, 5]), slice([1, 3], [5, 6])]);
  const through = summarizePacedStream("switchyard", [slice([1.5, 1.5], [5, 5.2]), slice([2, 3.5], [5, 7])]);

  it("merges the samples of every round and keeps each round's figure", () => {
    expect(direct.ok).toBe(4);
    expect(direct.ttftMs.p50).toBe(1);
    expect(direct.ttftMs.p99).toBe(3);
    expect(direct.gapMs.p99).toBe(6);
    expect(direct.roundTtftP50Ms).toEqual([1, 1]);
    expect(through.roundGapP99Ms).toEqual([5.2, 7]);
  });

  it("reports what the gateway adds over direct, percentile for percentile, in µs", () => {
    const [addition] = addedByGateway([direct, through]);
    expect(addition?.target).toBe("switchyard");
    expect(addition?.ttftP50Us).toBeCloseTo(500);
    expect(addition?.ttftP99Us).toBeCloseTo(500);
    expect(addition?.gapP50Us).toBeCloseTo(0);
    expect(addition?.gapP99Us).toBeCloseTo(1000);
    expect(addition?.roundTtftP50Us.map(Math.round)).toEqual([500, 1000]);
    expect(addedByGateway([through])).toEqual([]);
  });

  it("flags failed streams and empty targets", () => {
    const broken = summarizePacedStream("switchyard-anthropic", [slice([], [], 3)]);
    expect(pacedStreamProblems([direct, broken])).toEqual([
      "switchyard-anthropic paced stream: no successful stream",
      "switchyard-anthropic paced stream: 3 failed, truncated or incomplete streams",
    ]);
  });

  it("renders a table and the additions", () => {
    const text = renderPacedStreams([direct, through], { contentChunks: 20, gapMs: 5, connections: 4 }).join(
      "\n",
    );
    expect(text).toContain("| switchyard | 4 | 1.500 | 3.500 | 5.000 | 7.000 | 7.000 | 0 |");
    expect(text).toContain(
      "- switchyard: TTFT p50 **+500 µs**, p99 +500 µs; gap p50 **+0 µs**, p99 +1000 µs",
    );
    expect(renderPacedStreams([], { contentChunks: 20, gapMs: 5, connections: 4 })).toEqual([]);
  });
});
