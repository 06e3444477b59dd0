import { describe, expect, it } from "vitest";
import { ContentEventClock, gapsBetween, streamTimings } from "./stream-timing.js";

const openAiMarker = '"delta":{"content":';
const role = 'data: {"choices":[{"delta":{"role":"assistant","content":""}}]}\n\n';
const content = (text: string) => `data: {"choices":[{"delta":{"content":"${text}"}}]}\n\n`;

describe("ContentEventClock", () => {
  it("times each content event when its end arrives, skipping other events", () => {
    const clock = new ContentEventClock(openAiMarker);
    clock.feed(role, 1);
    clock.feed(content("a").slice(0, 20), 2);
    expect(clock.contentTimes).toEqual([]);
    clock.feed(content("a").slice(20), 3);
    clock.feed(`${content("b")}${content("c")}data: [DONE]\n\n`, 7);
    expect(clock.contentTimes).toEqual([3, 7, 7]);
    expect(clock.endsWith("data: [DONE]\n\n")).toBe(true);
  });

  it("counts an event split exactly at its blank line when the blank line arrives", () => {
    const clock = new ContentEventClock(openAiMarker);
    const event = content("x");
    clock.feed(event.slice(0, -1), 1);
    clock.feed("\n", 4);
    expect(clock.contentTimes).toEqual([4]);
  });

  it("reads Anthropic content_block_delta events with their own marker", () => {
    const clock = new ContentEventClock('"type":"content_block_delta"');
    clock.feed('event: message_start\ndata: {"type":"message_start"}\n\n', 1);
    clock.feed(
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"text":"Hi"}}\n\n',
      2,
    );
    clock.feed('event: message_stop\ndata: {"type":"message_stop"}\n\n', 3);
    expect(clock.contentTimes).toEqual([2]);
    expect(clock.endsWith('data: {"type":"message_stop"}\n\n')).toBe(true);
    expect(clock.endsWith("data: [DONE]\n\n")).toBe(false);
  });
});

describe("gapsBetween and streamTimings", () => {
  it("gives n − 1 gaps for n times", () => {
    expect(gapsBetween([10, 15, 15, 22])).toEqual([5, 0, 7]);
    expect(gapsBetween([10])).toEqual([]);
    expect(gapsBetween([])).toEqual([]);
  });

  it("measures TTFT from the request start and the gaps after it", () => {
    expect(streamTimings(100, [103, 108, 114])).toEqual({ ttftMs: 3, gapsMs: [5, 6] });
    expect(streamTimings(100, [])).toBeUndefined();
  });
});
