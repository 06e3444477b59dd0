import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Cancellation } from "../core/cancellation.js";
import { unknownUsage } from "../core/cost/token-usage.js";
import type { GatewayContext } from "./gateway-context.js";
import { relayResponsesStream } from "./responses-stream-relay.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../providers/openai-responses/__fixtures__/${name}`, import.meta.url), "utf8");

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

async function relay(upstream: AsyncIterable<Uint8Array>) {
  const context = newContext();
  const ends: boolean[] = [];
  let output = "";
  for await (const piece of relayResponsesStream({
    context,
    upstream,
    clientWantsUsage: false,
    renderError: (error, sequenceNumber) =>
      `event: error\ndata: {"code":"${error.code}","sequence_number":${sequenceNumber}}\n\n`,
    onEnd: (broke) => ends.push(broke),
  })) {
    output += piece;
  }
  return { context, output, ends };
}

const frames = (text: string) => text.split("\n\n").filter((frame) => frame !== "");

describe("relayResponsesStream", () => {
  it.each([1, 17, 100_000])(
    "relays events unchanged and records usage from response.completed (%i-byte pieces)",
    async (size) => {
      const recorded = fixture("response-text.chunks.txt");
      const { output, context, ends } = await relay(pieces(recorded, size));
      expect(frames(output)).toEqual(frames(recorded));
      expect(context.usage).toEqual({
        inputTokens: 9,
        outputTokens: 7,
        cachedTokens: 0,
        cacheWriteTokens: null,
        reasoningTokens: 0,
        estimated: false,
      });
      expect(context.errorCode).toBeNull();
      expect(context.ttftMs).not.toBeNull();
      expect(ends).toEqual([false]);
    },
  );

  it("ends a cut stream with an error event numbered after the last relayed one, never response.completed", async () => {
    const recorded = frames(fixture("response-function-call.chunks.txt"));
    const { output, context, ends } = await relay(pieces(`${recorded.slice(0, 5).join("\n\n")}\n\n`, 64));
    const sent = frames(output);
    expect(sent.slice(0, 5)).toEqual(recorded.slice(0, 5));
    expect(sent[5]).toBe('event: error\ndata: {"code":"GW_ERR_STREAM_INTERRUPTED","sequence_number":5}');
    expect(output).not.toContain("response.completed");
    expect(context.errorCode).toBe("GW_ERR_STREAM_INTERRUPTED");
    expect(context.usage).toEqual(unknownUsage);
    expect(ends).toEqual([true]);
  });

  it("stops at a malformed event", async () => {
    const recorded = frames(fixture("response-text.chunks.txt"));
    const text = `${recorded.slice(0, 3).join("\n\n")}\n\nevent: response.output_text.delta\ndata: {not json\n\n${recorded.slice(3).join("\n\n")}\n\n`;
    const { output, context } = await relay(pieces(text, 1000));
    expect(frames(output).at(-1)).toBe(
      'event: error\ndata: {"code":"GW_ERR_STREAM_INTERRUPTED","sequence_number":3}',
    );
    expect(output).not.toContain("response.completed");
    expect(context.errorCode).toBe("GW_ERR_STREAM_INTERRUPTED");
  });

  it("passes an upstream error event on as the stream's end", async () => {
    const recorded = frames(fixture("response-text.chunks.txt"));
    const error =
      'event: error\ndata: {"type":"error","code":"server_error","message":"The server had an error","param":null,"sequence_number":4}';
    const { output, context } = await relay(
      pieces(`${[...recorded.slice(0, 4), error, ...recorded.slice(4)].join("\n\n")}\n\n`, 1000),
    );
    expect(frames(output)).toEqual([...recorded.slice(0, 4), error]);
    expect(context.errorCode).toBe("GW_ERR_UPSTREAM_ERROR");
    expect(context.loggedStatus).toBe(502);
  });
});
