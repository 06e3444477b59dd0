import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Cancellation } from "../core/cancellation.js";
import { unknownUsage } from "../core/cost/token-usage.js";
import { GatewayError } from "../core/gateway-error.js";
import { relayAnthropicStream } from "./anthropic-stream-relay.js";
import type { GatewayContext } from "./gateway-context.js";
import type { StreamChunkGuard } from "./openai-stream-relay.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../providers/anthropic/__fixtures__/${name}`, import.meta.url), "utf8");

function newContext(): GatewayContext {
  return {
    startedAt: performance.now(),
    signal: new Cancellation(),
    usage: unknownUsage,
    ttftMs: null,
    errorCode: null,
    loggedStatus: null,
  } as unknown as GatewayContext;
}

async function* pieces(text: string, size: number): AsyncIterable<Uint8Array> {
  const bytes = Buffer.from(text, "utf8");
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function relay(text: string, size: number, guard?: StreamChunkGuard, upstream = pieces(text, size)) {
  const context = newContext();
  let output = "";
  const ends: boolean[] = [];
  for await (const piece of relayAnthropicStream({
    context,
    upstream,
    clientWantsUsage: false,
    renderError: (error) => `event: error\ndata: {"code":"${error.code}"}\n\n`,
    guard,
    onEnd: (brokeUpstream) => ends.push(brokeUpstream),
  })) {
    output += piece;
  }
  return { context, output, ends };
}

const frames = (text: string) => text.split("\n\n").filter((frame) => frame !== "");

/** Yields `text`, then fails as a reset socket does. */
async function* cutAfter(text: string): AsyncIterable<Uint8Array> {
  yield Buffer.from(text, "utf8");
  throw new Error("socket hang up");
}

describe("relayAnthropicStream", () => {
  it.each([1, 13, 100_000])(
    "relays events unchanged and records both halves of usage (%i-byte pieces)",
    async (size) => {
      const recorded = fixture("message-tool-use.chunks.txt");
      const { output, context } = await relay(recorded, size);
      expect(frames(output)).toEqual(frames(recorded));
      // 472 uncached + 1500 cache writes + 0 cache reads; output from message_delta.
      expect(context.usage).toEqual({
        inputTokens: 1972,
        outputTokens: 138,
        cachedTokens: 0,
        cacheWriteTokens: 1500,
        reasoningTokens: null,
        estimated: false,
      });
      expect(context.errorCode).toBeNull();
      expect(context.ttftMs).not.toBeNull();
    },
  );

  it("ends a stream without message_stop with one error event", async () => {
    const recorded = fixture("message-text.chunks.txt");
    const { output, context } = await relay(recorded.slice(0, recorded.indexOf("event: message_delta")), 64);
    expect(frames(output).at(-1)).toBe('event: error\ndata: {"code":"GW_ERR_STREAM_INTERRUPTED"}');
    expect(output).not.toContain("message_stop");
    expect(context.usage).toEqual({
      inputTokens: 2060,
      outputTokens: 1,
      cachedTokens: 2048,
      cacheWriteTokens: 0,
      reasoningTokens: null,
      estimated: false,
    });
    expect(context.loggedStatus).toBe(502);
  });

  it("passes an upstream error event on as the last event, adding none of its own", async () => {
    const recorded = fixture("error-mid-stream.chunks.txt");
    const { output, context } = await relay(recorded, 32);
    expect(frames(output)).toEqual(frames(recorded));
    expect(context.errorCode).toBe("GW_ERR_UPSTREAM_ERROR");
  });

  it("stops at a malformed event", async () => {
    const { output, context } = await relay('event: message_start\ndata: {"type":"message_st\n\n', 8);
    expect(frames(output)).toEqual(['event: error\ndata: {"code":"GW_ERR_STREAM_INTERRUPTED"}']);
    expect(context.errorCode).toBe("GW_ERR_STREAM_INTERRUPTED");
  });

  it("sends what a guard makes of each event, its held events before message_stop, and stops at a guard's block", async () => {
    const seen: string[] = [];
    const guard: StreamChunkGuard = {
      chunk: (event) => {
        seen.push(String(event.type));
        if (event.type === "content_block_delta") return [];
        return [event];
      },
      end: () => [{ type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "held" } }],
    };
    const recorded = fixture("message-tool-use.chunks.txt");
    const { output, context } = await relay(recorded, 13, guard);
    const types = frames(output).map((frame) => frame.split("\n")[0]);
    expect(types.filter((type) => type === "event: content_block_delta")).toHaveLength(1);
    expect(types.slice(-3)).toEqual([
      "event: message_delta",
      "event: content_block_delta",
      "event: message_stop",
    ]);
    expect(seen.at(-1)).toBe("message_stop");
    expect(context.usage.outputTokens).toBe(138);

    const blocking: StreamChunkGuard = {
      chunk: (event) => {
        if (event.type === "content_block_start")
          throw new GatewayError("GW_ERR_POLICY_TOOL_NOT_ALLOWED", "no");
        return [event];
      },
      end: () => [],
    };
    const blocked = await relay(recorded, 13, blocking);
    expect(frames(blocked.output).at(-1)).toBe(
      'event: error\ndata: {"code":"GW_ERR_POLICY_TOOL_NOT_ALLOWED"}',
    );
    expect(blocked.output).not.toContain("content_block_start");
    expect(blocked.output).not.toContain("message_stop");
    expect(blocked.context.errorCode).toBe("GW_ERR_POLICY_TOOL_NOT_ALLOWED");
    // A policy block is not the upstream's fault: the breaker hears a healthy end.
    expect(blocked.ends).toEqual([false]);
  });

  describe("tells onEnd once whether the upstream broke the stream", () => {
    it("no at message_stop", async () => {
      const { ends } = await relay(fixture("message-text.chunks.txt"), 64);
      expect(ends).toEqual([false]);
    });

    it("yes when the stream ends without message_stop", async () => {
      const recorded = fixture("message-text.chunks.txt");
      const { ends } = await relay(recorded.slice(0, recorded.indexOf("event: message_delta")), 64);
      expect(ends).toEqual([true]);
    });

    it("yes when the upstream connection breaks off mid-stream", async () => {
      const recorded = fixture("message-text.chunks.txt");
      const opening = recorded.slice(0, recorded.indexOf("event: message_delta"));
      const { ends, output } = await relay("", 0, undefined, cutAfter(opening));
      expect(frames(output).at(-1)).toBe('event: error\ndata: {"code":"GW_ERR_STREAM_INTERRUPTED"}');
      expect(ends).toEqual([true]);
    });

    it("yes when the upstream sends an error event", async () => {
      const { ends } = await relay(fixture("error-mid-stream.chunks.txt"), 32);
      expect(ends).toEqual([true]);
    });

    it("yes at a malformed event", async () => {
      const { ends } = await relay('event: message_start\ndata: {"type":"message_st\n\n', 8);
      expect(ends).toEqual([true]);
    });

    it("not at all when the client left first", async () => {
      const recorded = fixture("message-text.chunks.txt");
      const context = newContext();
      const ends: boolean[] = [];
      const stream = relayAnthropicStream({
        context,
        upstream: cutAfter(recorded.slice(0, recorded.indexOf("event: message_delta"))),
        clientWantsUsage: false,
        renderError: () => "",
        onEnd: (brokeUpstream) => ends.push(brokeUpstream),
      });
      expect((await stream.next()).done).toBe(false);
      (context.signal as Cancellation).cancel();
      expect(await stream.next()).toEqual({ done: true, value: undefined });
      expect(ends).toEqual([]);
    });
  });
});
